import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../integration/syncHarness.ts';

const productCaddyfile = fileURLToPath(new URL('../../infra/Caddyfile', import.meta.url));

export interface RunningCaddy {
  /** `https://<domain>:<port>` */
  readonly url: string;
  readonly httpsPort: number;
  /** Root certificate of its local CA (PEM), for clients that check the chain. */
  readonly caCert: string;
  readonly log: string[];
  close(): Promise<void>;
}

/** A port free right now on loopback (the OS picks it; it is released for the caller to use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Debian's caddy (`/usr/bin/caddy`) running the product's own infra/Caddyfile in front of
 * `upstreamPort`, for the site `domain:httpsPort`, with its local CA (`local_certs`, the
 * same as `tls internal`). Everything of its own lives in a temp folder (XDG dirs, no admin
 * endpoint, no system trust store touched), so several can run side by side.
 */
export async function startCaddy(options: {
  domain: string;
  httpsPort: number;
  /** The single upstream of infra/Caddyfile (`MIXROOM_UPSTREAM`). */
  upstreamPort?: number;
  /** Another of the product's Caddyfiles (default infra/Caddyfile). */
  caddyfile?: string;
  /** More environment for its placeholders (`{$NAME}`). */
  env?: Record<string, string>;
}): Promise<RunningCaddy> {
  const dir = await makeTempDir('mixroom-caddy-');
  const httpPort = await freePort();
  const config = `${dir.path}/Caddyfile`;
  await writeFile(
    config,
    `{
	admin off
	local_certs
	skip_install_trust
	http_port ${httpPort}
	https_port ${options.httpsPort}
	auto_https disable_redirects
}
import ${options.caddyfile ?? productCaddyfile}
`,
  );
  const log: string[] = [];
  const child = spawn('/usr/bin/caddy', ['run', '--config', config, '--adapter', 'caddyfile'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir.path,
      XDG_DATA_HOME: `${dir.path}/data`,
      XDG_CONFIG_HOME: `${dir.path}/config`,
      MIXROOM_DOMAIN: `${options.domain}:${options.httpsPort}`,
      ...(options.upstreamPort !== undefined ? { MIXROOM_UPSTREAM: `127.0.0.1:${options.upstreamPort}` } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr.on('data', (d: Buffer) => log.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await dir.remove();
  };
  // Ready once it answers HTTPS for the site (its local CA has issued the certificate).
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`caddy exited (${child.exitCode}): ${log.join('')}`);
    }
    const status = await new Promise<number>((resolve) => {
      const req = request(
        { host: '127.0.0.1', port: options.httpsPort, path: '/healthz', servername: options.domain, headers: { host: `${options.domain}:${options.httpsPort}` }, rejectUnauthorized: false },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', () => resolve(0));
      req.end();
    });
    if (status === 200) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`caddy did not serve https://${options.domain}:${options.httpsPort} within 30 s: ${log.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const caCert = await readFile(`${dir.path}/data/caddy/pki/authorities/local/root.crt`, 'utf8');
  return { url: `https://${options.domain}:${options.httpsPort}`, httpsPort: options.httpsPort, caCert, log, close };
}
