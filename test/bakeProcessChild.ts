/**
 * A process that bakes, for renderFormats.test.ts: argv is one JSON object
 * `{ endpoint, credentials, bucket, plan, tmpDir, mode }`. Mode `bake`: renderBakeFormats of
 * `plan` (stems from the S3 store at `endpoint`) into `tmpDir`, printing `progress` once the
 * first block is done (the test stops and kills it there). Mode `hold`: only
 * makes a bake folder as a bake does, prints `held`, and lives until killed.
 */
import { createBakeTempDir } from '../server/src/render/deliver/bakeTempDir.ts';
import { createS3StemSource } from '../server/src/render/input/createS3StemSource.ts';
import { renderBakeFormats } from '../server/src/render/renderBakeFormats.ts';
import { createS3Client } from '../server/src/storage/createS3Client.ts';

const args = JSON.parse(process.argv[2]!) as {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  bucket: string;
  plan: Parameters<typeof renderBakeFormats>[0];
  tmpDir: string;
  mode: 'bake' | 'hold';
};
const alive = setInterval(() => {}, 1000);
if (args.mode === 'hold') {
  await createBakeTempDir(args.tmpDir);
  console.log('held');
} else {
  const s3 = createS3Client({ endpoint: args.endpoint, region: 'us-east-1', ...args.credentials, forcePathStyle: true });
  let said = false;
  await renderBakeFormats(args.plan, {
    stems: createS3StemSource({ s3, bucket: args.bucket }),
    formats: ['wav24', 'wav16', 'flac', 'mp3'],
    tmpDir: args.tmpDir,
    blockFrames: 4096,
    onProgress: (p) => {
      if (!said && p.framesDone > 0) {
        said = true;
        console.log('progress');
      }
    },
  });
  clearInterval(alive);
}
