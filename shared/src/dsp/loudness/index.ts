export * from './kWeightingCoefficients.ts';
export * from './KWeightingFilter.ts';
export * from './TruePeakMeter.ts';
export * from './truePeakFilter.ts';
export * from './channelWeights.ts';
export * from './LoudnessMeter.ts';
export * from './measureLoudness.ts';
