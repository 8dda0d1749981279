// s3rver ships no types; this declares the part of its API the embedded store uses.
declare module 's3rver' {
  interface S3rverOptions {
    address?: string;
    port?: number;
    directory?: string;
    silent?: boolean;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<import('node:net').AddressInfo>;
    close(): Promise<void>;
    /** Koa's request handler (S3rver is a Koa application). */
    callback(): (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
    readonly logger: { close(): void; exceptions: { unhandle(): void } };
  }
}

// The account registry s3rver looks access keys up in (a process-wide Map).
declare module 's3rver/lib/models/account.js' {
  class AWSAccount {
    constructor(accountId: number, displayName: string);
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
    revokeAccessKey(accessKeyId: string): void;
    static registry: Map<string, AWSAccount>;
    static DUMMY_ACCOUNT: AWSAccount;
  }
  export = AWSAccount;
}
