import { describe, expect, it } from 'vitest';
import { createOriginPolicy } from './OriginPolicy.ts';

const check = (policy: ReturnType<typeof createOriginPolicy>, origin: string | null, secFetchSite: string | null = null) => policy.check({ origin, secFetchSite });

describe('createOriginPolicy', () => {
  it('local mode: loopback origins on the listening port only', () => {
    let port = 0;
    const policy = createOriginPolicy(null, () => port);
    port = 8787;
    for (const ok of ['http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787']) expect(check(policy, ok)).toBeNull();
    for (const bad of ['http://localhost:8788', 'https://127.0.0.1:8787', 'http://mixroom.test:8787', 'null']) expect(check(policy, bad)).toMatch(/Refused/);
    expect(check(policy, 'http://mixroom.test:8787')).toMatch(/set PUBLIC_URL/);
  });

  it('public mode: the public origin only; no Origin passes unless the browser says cross-site', () => {
    const policy = createOriginPolicy('https://mix.example.com', () => 8787);
    expect(check(policy, 'https://mix.example.com', 'same-origin')).toBeNull();
    expect(check(policy, 'http://localhost:8787')).toMatch(/public URL is https:\/\/mix.example.com/);
    expect(check(policy, 'https://evil.mix.example.com')).toMatch(/Refused/);
    expect(check(policy, null)).toBeNull();
    expect(check(policy, null, 'none')).toBeNull();
    expect(check(policy, null, 'cross-site')).toMatch(/cross-site/);
    expect(check(policy, 'https://mix.example.com', 'same-site')).toMatch(/same-site/);
  });
});
