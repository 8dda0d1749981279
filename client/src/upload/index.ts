export * from './StemUploadError.ts';
export * from './ResumeStore.ts';
export * from './putPart.ts';
export * from './backoffDelay.ts';
export * from './stemUploadApi.ts';
export * from './uploadStemFile.ts';
