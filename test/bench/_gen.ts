import * as Y from 'yjs'; import { writeFileSync } from 'node:fs';
import { hourSessionState } from './hourSessionState.ts';
const d0 = new Y.Doc(); Y.applyUpdate(d0, hourSessionState()); writeFileSync('/tmp/wake/kept.bin', Y.encodeStateAsUpdateV2(d0));
