import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

/**
 * Who holds a lock or a claim. `host` + `pid` (+ `pid_start` on Linux, which
 * defeats pid reuse) let a process on the same host tell at once whether the
 * holder is alive; `token` distinguishes two store instances of one process.
 */
export interface OwnerRecord {
  owner: string;
  host: string;
  pid: number;
  pid_start?: string;
  token: string;
}

/** Identity of this process / store instance. */
export type Identity = OwnerRecord;

function newToken(): string {
  return randomBytes(8).toString('hex');
}

export function makeIdentity(options: { owner?: string; hostname?: string }): Identity {
  const host = options.hostname ?? os.hostname();
  const start = pidStartTime(process.pid);
  return {
    owner: options.owner ?? `${host}:${process.pid}`,
    host,
    pid: process.pid,
    ...(start === undefined ? {} : { pid_start: start }),
    token: newToken(),
  };
}

/**
 * Start time of `pid` (clock ticks since boot, /proc/<pid>/stat field 22) on
 * Linux; undefined elsewhere or when the process does not exist. A zombie
 * (state Z: killed, not yet reaped) reports 'zombie'.
 */
export function pidStartTime(pid: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces or ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return 'zombie';
  return fields[19];
}

/** True unless `pid` certainly does not run (or runs but is another process than the one recorded). */
export function isPidAlive(pid: number, recordedStart?: string): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return true; // unknown: let the heartbeat decide
  try {
    process.kill(pid, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    // EPERM: exists, owned by another user.
  }
  const start = pidStartTime(pid);
  if (start === 'zombie') return false;
  if (recordedStart !== undefined && start !== undefined && start !== recordedStart) return false; // pid reused
  return true;
}

/**
 * Why the holder described by `record` (heartbeat at `heartbeatMs`, epoch ms)
 * is dead, or undefined when it must be presumed alive. A holder on this host
 * is dead as soon as its pid is gone; any holder whose heartbeat is older than
 * `staleMs` is dead (hosts sharing the directory over NFS, hung processes).
 */
export function deathReason(
  record: Partial<OwnerRecord> | undefined,
  heartbeatMs: number,
  nowMs: number,
  staleMs: number,
  host: string,
): string | undefined {
  if (record !== undefined && record.host === host && typeof record.pid === 'number') {
    if (!isPidAlive(record.pid, record.pid_start)) return `holder pid ${record.pid} on this host (${host}) is gone`;
  }
  const age = nowMs - heartbeatMs;
  if (!Number.isFinite(age) || age > staleMs) {
    return `not refreshed for ${Number.isFinite(age) ? (age / 1000).toFixed(1) : '?'} s (staleMs ${staleMs})`;
  }
  return undefined;
}

/** Parse an owner record out of unknown JSON, or undefined when it is not one. */
export function asOwnerRecord(value: unknown): OwnerRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.owner !== 'string' || typeof v.host !== 'string' || typeof v.pid !== 'number' || typeof v.token !== 'string') {
    return undefined;
  }
  return {
    owner: v.owner,
    host: v.host,
    pid: v.pid,
    ...(typeof v.pid_start === 'string' ? { pid_start: v.pid_start } : {}),
    token: v.token,
  };
}

export function describeOwner(record: Partial<OwnerRecord> | undefined): string {
  if (record === undefined) return 'an unknown holder (not a checkpoint lock file)';
  return `${record.owner ?? '?'} (host ${record.host ?? '?'}, pid ${record.pid ?? '?'})`;
}
