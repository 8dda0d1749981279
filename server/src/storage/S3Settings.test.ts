import { describe, expect, it } from 'vitest';
import { parseS3Settings } from './S3Settings.ts';

describe('parseS3Settings', () => {
  it('defaults to the embedded store with documented limits', () => {
    expect(parseS3Settings({})).toMatchObject({
      embedded: true,
      dataDir: './.data/s3',
      embeddedPort: 4569,
      bucket: 'mixroom',
      forcePathStyle: true,
      maxStemBytes: 1024 ** 3,
      maxStemSeconds: 1200,
    });
  });

  it('takes an external endpoint and insists on real credentials', () => {
    expect(() => parseS3Settings({ S3_EMBEDDED: 'false', S3_ENDPOINT: 'https://minio.example:9000' })).toThrow(/S3_ACCESS_KEY_ID/);
    const s = parseS3Settings({
      S3_EMBEDDED: 'false',
      S3_ENDPOINT: 'https://minio.example:9000',
      S3_ACCESS_KEY_ID: 'k',
      S3_SECRET_ACCESS_KEY: 's',
      S3_FORCE_PATH_STYLE: 'false',
      S3_BUCKET: 'stems-prod',
    });
    expect(s).toMatchObject({ embedded: false, endpoint: 'https://minio.example:9000', forcePathStyle: false, bucket: 'stems-prod' });
  });

  it('rejects bad values with a readable message', () => {
    expect(() => parseS3Settings({ S3_BUCKET: 'Bad_Bucket' })).toThrow(/S3_BUCKET/);
    expect(() => parseS3Settings({ MAX_STEM_BYTES: '-1' })).toThrow(/MAX_STEM_BYTES/);
    expect(() => parseS3Settings({ S3_EMBEDDED: 'maybe' })).toThrow(/S3_EMBEDDED/);
  });
});
