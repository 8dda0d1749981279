/**
 * Whether a process `pid` still exists (signal 0 checks without sending anything): the tests
 * that kill codec children and shard processes poll it to see them gone.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
