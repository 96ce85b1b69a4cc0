// The shared bus suite over the in-process transport (the embedded default).
import { InProcessBroker } from '../../../src/bus';
import { busSuite } from './support/bus-suite';

busSuite('the in-process transport', async () => {
  const broker = new InProcessBroker();
  return {
    timing: { heartbeatIntervalMs: 50, peerTimeoutMs: 300, discoveryMs: 60 },
    transport: () => broker.transport(),
    dropLinks: async () => {
      broker.dropLinks(100);
      await Promise.resolve();
    },
    cleanup: async () => {
      await Promise.resolve();
    },
    close: async () => {
      await Promise.resolve();
    },
  };
});
