/** The columns the SIGKILL test's child process writes (shared by the child and the test). */
export const CRASH_HEADER_SPEC = { _tp_time: 'DateTime64(3)', id: 'UInt32', blk: 'UInt32', n: 'UInt32', s: 'String' } as const;
