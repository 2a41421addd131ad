// "Download CSV" links. Without a token they are plain links; with one (kept for this tab, see
// api-client.js) the file is fetched with the bearer header and saved from memory, so the token
// never goes into an address.

import { authHeaders } from './api-client.js';

export function wireCsvDownloads() {
  document.addEventListener('click', async (event) => {
    const link = event.target.closest?.('a.csv');
    const headers = authHeaders();
    if (!link || !headers.authorization) return;
    event.preventDefault();
    const response = await fetch(link.href, { headers });
    if (!response.ok) return;
    const name =
      /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'query.csv';
    const url = URL.createObjectURL(await response.blob());
    const save = Object.assign(document.createElement('a'), { href: url, download: name });
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
}
