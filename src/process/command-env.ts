// The environment the command runs with: the wrapper's own, plus what makes its output arrive in time.

// Python block-buffers stdout on a pipe: without this, a plain `print` arrives only when 8 KiB have piled up or the
// program exits, stamped with the wrong time, out of order with stderr, and lost if it is killed. A value the
// environment already has (even an empty one, which is how a user turns this off) is left alone.
export function commandEnvironment(env: NodeJS.ProcessEnv, fifoPath: string): NodeJS.ProcessEnv {
  const unbuffered = env.PYTHONUNBUFFERED === undefined ? { PYTHONUNBUFFERED: '1' } : {};
  return { ...env, ...unbuffered, SHUB_FIFO_PATH: fifoPath };
}
