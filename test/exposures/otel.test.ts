// Exposures as OpenTelemetry feature_flag.evaluation events: the mapping, and the example through a real tracer provider.
import { expect } from 'chai';
import request from 'supertest';
import { createTracedApp } from '../../examples/opentelemetry/app.js';
import { exposureLog } from '../../src/exposures/exposure-log.js';
import type { ExposureRow } from '../../src/exposures/exposure-rows.js';
import { featureFlagEvaluation, OTEL_REASONS } from '../../src/exposures/otel.js';
import type { Reason } from '../../src/engine/track-set.js';
import { expectedPlacement, findShoppers } from '../support/coconut-store.js';
import { startRecording } from '../support/otel-recorder.js';

describe('featureFlagEvaluation', () => {
  it('maps an exposure to the feature_flag.evaluation event of the semantic conventions v1.44', () => {
    const event = featureFlagEvaluation({
      setName: 'pricing',
      variant: 'cheap',
      key: 'alice',
      runId: 'run-1',
      reason: 'hash',
      firstExposure: true,
      multiSetName: 'delay/pricing',
    });
    expect(event).to.deep.equal({
      name: 'feature_flag.evaluation',
      attributes: {
        'feature_flag.key': 'pricing',
        'feature_flag.result.variant': 'cheap',
        'feature_flag.result.reason': 'split',
        'feature_flag.provider.name': 'tracks-ab',
        'feature_flag.context.id': 'alice',
        'feature_flag.set.id': 'delay/pricing',
        'tracks_ab.reason': 'hash',
        'tracks_ab.run_id': 'run-1',
      },
    });
  });

  it('leaves out the context and set ids an exposure does not have', () => {
    const { attributes } = featureFlagEvaluation({
      setName: 's',
      variant: 'v',
      key: null,
      runId: null,
      reason: 'random',
      firstExposure: true,
      multiSetName: null,
    });
    expect(attributes).to.deep.equal({
      'feature_flag.key': 's',
      'feature_flag.result.variant': 'v',
      'feature_flag.result.reason': 'split',
      'feature_flag.provider.name': 'tracks-ab',
      'tracks_ab.reason': 'random',
    });
  });

  it("maps every reason to the spec's reason values", () => {
    const spec = ['cached', 'default', 'disabled', 'error', 'split', 'stale', 'static', 'targeting_match', 'unknown'];
    const expected: Record<Reason, string> = {
      hash: 'split',
      random: 'split',
      sticky: 'cached',
      forced: 'targeting_match',
      pinned: 'static',
      disabled: 'disabled',
      ineligible: 'default',
      coverage: 'default',
      excluded: 'default',
      bot: 'default',
      unidentified: 'unknown',
      error: 'error',
    };
    expect(OTEL_REASONS).to.deep.equal(expected);
    for (const value of Object.values(OTEL_REASONS)) expect(spec).to.include(value);
  });
});

describe('the OpenTelemetry example', () => {
  let recording: ReturnType<typeof startRecording>;
  beforeEach(() => {
    recording = startRecording();
  });
  afterEach(() => recording.stop());

  it("adds each exposure to the request's span as a feature_flag.evaluation event, and to the exposure log", async () => {
    const rows: ExposureRow[] = [];
    const log = exposureLog({ sink: { write: (batch) => void rows.push(...batch) } });
    const app = createTracedApp({ log, secret: 'otel-test' });
    const [user] = findShoppers(1, (p) => p.setName === 'pricing');
    const placement = expectedPlacement(user!);
    const agent = request.agent(app);
    await agent.get('/catalog').set('Cookie', `user=${user}`).expect(200);
    await agent.get('/catalog').set('Cookie', `user=${user}`).expect(200);
    await request(app).get('/catalog').set('User-Agent', 'Googlebot/2.1').expect(200); // bots are not exposed
    await log.close();
    expect(recording.spans.map((s) => s.name)).to.deep.equal(['GET /catalog', 'GET /catalog', 'GET /catalog']);
    const [first, second, bot] = recording.spans.map((s) => s.events);
    const common = {
      'feature_flag.key': 'pricing',
      'feature_flag.result.variant': placement.variant,
      'feature_flag.provider.name': 'tracks-ab',
      'feature_flag.context.id': user,
      'feature_flag.set.id': 'delay/pricing',
    };
    expect(first).to.have.length(1);
    expect(first![0]!.name).to.equal('feature_flag.evaluation');
    expect(first![0]!.attributes).to.deep.include({ ...common, 'feature_flag.result.reason': 'split', 'tracks_ab.reason': 'hash' });
    // The second load: remembered by the cookie.
    expect(second![0]!.attributes).to.deep.include({ ...common, 'feature_flag.result.reason': 'cached', 'tracks_ab.reason': 'sticky' });
    expect(bot).to.deep.equal([]);
    // The span event and the log's row share the run id.
    expect(rows.map((r) => r.runId)).to.deep.equal([first![0]!.attributes['tracks_ab.run_id']]);
  });

  it('emits nothing, and fails nothing, without a registered SDK', async () => {
    recording.stop();
    const app = createTracedApp({ secret: 'otel-test' });
    await request(app).get('/catalog').set('Cookie', 'user=someone').expect(200);
    expect(recording.spans).to.deep.equal([]);
  });
});
