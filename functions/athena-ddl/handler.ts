import { AthenaClient } from '@aws-sdk/client-athena';
import { type DdlEvent, isComplete as ddlIsComplete, onEvent as ddlOnEvent } from './ddl.ts';

const athena = new AthenaClient({});

/** Custom resource `onEvent`: starts the view DDL (or the DROP on delete). */
export const onEvent = (event: DdlEvent) => ddlOnEvent(event, athena);

/** Custom resource `isComplete`: done when Athena succeeded; throws Athena's reason when it failed. */
export const isComplete = (event: DdlEvent) => ddlIsComplete(event, athena);
