/**
 * A site's copy of the hot list on its leaf-node nats-server (issue 17 part 3): the bucket's
 * stream and the snapshot store's stream mirrored from the centre's JetStream domain into the
 * site's own (nats.docs jetstream_leafnodes.md; research/fleet.md section 2). Mirrors keep the
 * origin's sequence numbers, so revisions and snapshot revisions mean the same at the site; the
 * site's gates read the site's copy and keep converging on it while the link is down. A mirror
 * must allow rollup headers (the PURGE markers and the object store's metadata are rollups).
 * Mirrors do not copy the centre's purges: the site's copy keeps growing until purged there.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { DEFAULT_BUCKET, kvStreamName, snapshotStoreName } from './names.js';
import { needObject, needString } from '../../codec/guard.js';

/** Creates (or keeps) the site's mirrors of `bucket` and its snapshot store from domain `hubDomain`. */
export async function mirrorHotlistToSite(site: NatsConnection, hubDomain: string, bucket = DEFAULT_BUCKET): Promise<void> {
  needObject('mirrorHotlistToSite', 'site', site);
  needString('mirrorHotlistToSite', 'hubDomain', hubDomain);
  const jsm = await jetstreamManager(site, { timeout: 10_000 });
  for (const name of [kvStreamName(bucket), `OBJ_${snapshotStoreName(bucket)}`]) {
    try {
      await jsm.streams.info(name);
      continue;
    } catch (e) {
      if (!/not found/i.test((e as Error).message)) throw e;
    }
    await jsm.streams.add({ name, storage: StorageType.File, mirror: { name, domain: hubDomain }, allow_rollup_hdrs: true, mirror_direct: false, allow_direct: false });
  }
}
