/** A small page for a person who followed a dead or mistyped link. */
export const NOT_FOUND_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Link not found</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}</style></head>
<body><h1>Link not found</h1><p>This short link does not exist or is no longer active. Check the address for typos.</p></body>
</html>
`;

/** For a link that existed and no longer works: disabled, expired, or used up. */
export const GONE_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Link no longer available</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}</style></head>
<body><h1>This link is no longer available</h1><p>The short link you followed has been switched off or has expired.</p></body>
</html>
`;
