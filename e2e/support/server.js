// Starts the built server (target/petmeeting-server-*.jar) on a free port against the local
// environment of scripts/localenv.sh, in the test database and Redis index, and stops it.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(E2E_DIR, '..');
export const RESULTS = path.join(E2E_DIR, 'test-results');
/** The jar `mvn package` builds; PM_E2E_JAR names another. */
const JAR = process.env.PM_E2E_JAR || path.join(ROOT, 'target', 'petmeeting-server-0.1.0-SNAPSHOT.jar');

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The settings of scripts/run.sh, in the test database and Redis index; PM_TEST_* as in TestEnv. */
function settings(port) {
  const env = (name, fallback) => process.env[name] || fallback;
  const dbHost = env('PM_TEST_DB_HOST', '127.0.0.1');
  const dbUser = env('PM_TEST_DB_USER', 'petmeeting');
  const dbPassword = env('PM_DB_PASSWORD', 'petmeeting-local');
  const dbName = env('PM_TEST_DB_NAME', 'petmeeting_test');
  return {
    PM_HTTP_HOST: '127.0.0.1',
    PM_HTTP_PORT: String(port),
    PM_HTTP_GATEWAY_INSTANCES: '2',
    PM_HTTP_SHUTDOWN_GRACE_MS: '2000',
    PM_DB_PRIMARY_HOST: dbHost,
    PM_DB_PRIMARY_PORT: env('PM_TEST_DB_PRIMARY_PORT', '13306'),
    PM_DB_PRIMARY_DATABASE: dbName,
    PM_DB_PRIMARY_USER: dbUser,
    PM_DB_PRIMARY_PASSWORD: dbPassword,
    PM_DB_REPLICA_HOST: dbHost,
    PM_DB_REPLICA_PORT: env('PM_TEST_DB_REPLICA_PORT', '13307'),
    PM_DB_REPLICA_DATABASE: dbName,
    PM_DB_REPLICA_USER: dbUser,
    PM_DB_REPLICA_PASSWORD: dbPassword,
    PM_REDIS_TOPOLOGY: 'standalone',
    PM_REDIS_ENDPOINTS: env('PM_TEST_REDIS', 'redis://127.0.0.1:16379/1'),
    PM_AUTH_JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456789',
    PM_AUTH_BCRYPT_COST: '4',
    PM_LOG_LEVEL: 'INFO',
  };
}

/**
 * Starts the server and resolves once /health/ready answers 200:
 * {url, port, stop(), logFile}; its output goes to e2e/test-results/<name>.log. Rejects (with the end of the log) if it exits or is not ready
 * within `timeoutMs`.
 */
export async function startServer({ name = 'server', timeoutMs = 90_000 } = {}) {
  if (!existsSync(JAR)) {
    throw new Error(`${JAR} is missing: build it first (mvn -B -DskipTests package)`);
  }
  mkdirSync(RESULTS, { recursive: true });
  const port = await freePort();
  const logFile = path.join(RESULTS, `${name}.log`);
  const log = createWriteStream(logFile);
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const child = spawn(java, ['-Xmx512m', '-jar', JAR], {
    cwd: ROOT,
    env: { ...process.env, ...settings(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    resolve(exited);
  }));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`the server exited (${JSON.stringify(exited)}) before it was ready:\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready in ${timeoutMs} ms:\n${tail(logFile)}`);
    }
    try {
      const r = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  async function stop() {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
    log.end();
  }
  return { url, port, stop, logFile };
}

export function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
