// Child process used by the multi-process tests (see children.ts).
// argv: <mode> <json config>; writes one JSON object per stdout line.
const ckpt = await import(process.env.CKPT_MODULE);
const [mode, configText] = process.argv.slice(2);
const config = JSON.parse(configText);
const say = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const storeOptions = { staleMs: config.staleMs, hostname: config.hostname, owner: config.owner, noun: config.noun };

switch (mode) {
  case 'hold-lock': {
    // Take the lock and keep it until killed.
    await ckpt.acquireLock(config.lock, { staleMs: config.staleMs, hostname: config.hostname });
    say({ event: 'locked', pid: process.pid });
    setInterval(() => {}, 1000);
    break;
  }
  case 'lock-counter': {
    // Mutual exclusion: read-increment-write a plain counter file under the lock.
    const fs = await import('node:fs/promises');
    for (let i = 0; i < config.n; i++) {
      const lock = await ckpt.acquireLock(config.lock, { staleMs: config.staleMs });
      const value = Number(await fs.readFile(config.counter, 'utf8'));
      await sleep(0);
      await fs.writeFile(config.counter, String(value + 1));
      await lock.release();
    }
    say({ event: 'done' });
    break;
  }
  case 'claim-hold': {
    // Claim items and work on them "forever" (until killed or told to finish by time).
    const store = await ckpt.openCheckpointStore(config.dir, storeOptions);
    const results = {};
    for (const id of config.ids) results[id] = await store.claim(id);
    say({ event: 'claimed', results, pid: process.pid });
    if (config.holdMs !== undefined) {
      await sleep(config.holdMs);
      for (const id of config.ids) if (results[id] === 'claimed') await store.complete(id, { n_sources: 1, n_valid: 1 });
      await store.close();
      say({ event: 'completed' });
    } else {
      setInterval(() => {}, 1000);
    }
    break;
  }
  case 'hammer': {
    // Claim and complete items from a shared list until none is left.
    const store = await ckpt.openCheckpointStore(config.dir, storeOptions);
    await store.setTotal(config.ids.length);
    if (config.goFile !== undefined) {
      // Start barrier: wait until the parent has seen every child ready.
      const fs = await import('node:fs');
      say({ event: 'ready' });
      while (!fs.existsSync(config.goFile)) await sleep(5);
    }
    const done = [];
    const t0 = Date.now();
    for (;;) {
      const id = await store.claimNext(config.ids);
      if (id === undefined) break;
      if (config.workMs !== undefined) await sleep(config.workMs);
      await store.complete(id, { n_sources: config.index + 1, n_valid: 1 });
      done.push(id);
      if (config.reportEach) say({ event: 'completed', id });
    }
    const seconds = (Date.now() - t0) / 1000;
    await store.close();
    say({ event: 'done', done, seconds });
    break;
  }
  case 'complete-loop': {
    // Complete items one by one, reporting each once complete() has resolved (killed at random).
    const store = await ckpt.openCheckpointStore(config.dir, storeOptions);
    say({ event: 'ready' });
    for (const id of config.ids) {
      if ((await store.claim(id)) !== 'claimed') continue;
      await store.complete(id, { n_sources: 10, n_valid: 5 });
      say({ event: 'completed', id });
    }
    await store.close();
    say({ event: 'done' });
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
