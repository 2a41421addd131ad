// `node --import ./record-imports.mjs`: appends every module URL the process resolves to the file
// named by $RECORD_IMPORTS, so a test can see which packages a command line loaded.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      appendFileSync(${JSON.stringify(process.env.RECORD_IMPORTS)}, result.url + '\\n');
      return result;
    }`)}`,
);
