// SPDX-License-Identifier: MIT
// Starts the fake Z.AI upstream and the built zaibridge-server on free loopback ports.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must point at the built binary`);
  return value;
}

async function startProcess(bin, args, env, pattern) {
  const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(d.toString()));
  const lines = readline.createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
  try {
    for await (const line of lines) {
      const match = line.match(pattern);
      if (match) return { child, url: match[1], stderr };
    }
  } finally {
    clearTimeout(timer);
  }
  throw new Error(`${bin} exited before it listened:\n${stderr.join('')}`);
}

// extraEnv goes to zaibridge-server, fakeArgs to fake-zai-upstream (e.g. ['--valid-token', t]).
export async function startBridge(extraEnv = {}, fakeArgs = []) {
  const fake = await startProcess(required('ZB_FAKE_BIN'), ['--port', '0', '--chunks', '4', ...fakeArgs], {},
    /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const server = await startProcess(required('ZB_SERVER_BIN'), ['--port', '0'], {
    API_ENDPOINT: `${fake.url}/api/v2/chat/completions`,
    AUTH_TOKEN: 'sk-e2e-key',
    LISTEN_HOST: '127.0.0.1',
    MAX_RETRIES: '1',
    ...extraEnv,
  }, /listening on (http:\/\/[^\s]+\/v1)/);
  return {
    baseURL: server.url,
    fakeURL: fake.url,
    serverLog: server.stderr,
    async stop() {
      for (const p of [server.child, fake.child]) {
        if (p.exitCode === null) {
          p.kill('SIGTERM');
          await once(p, 'exit');
        }
      }
      if (server.child.exitCode !== 0 && server.child.signalCode === null)
        throw new Error(`zaibridge-server exited with ${server.child.exitCode}`);
    },
  };
}
