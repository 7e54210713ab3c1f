import { describe, expect, it } from 'vitest';
import { ConfigError, loadModelsConfig, type ModelsConfig } from './models-config.js';

type Env = Record<string, string | undefined>;

function loadError(env: Env, files: Record<string, string> = {}): ConfigError {
  try {
    loadModelsConfig(env, (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const ids = (config: ModelsConfig) => config.models.map((model) => model.id);
const models = (...entries: object[]) => JSON.stringify(entries);

describe('loadModelsConfig: what a deployment offers', () => {
  it('with nothing configured: only the demo model, as the default', () => {
    const config = loadModelsConfig({});
    expect(config.models).toEqual([expect.objectContaining({ id: 'demo', provider: 'demo', label: 'Demo (offline)', isDefault: true })]);
    expect(config.defaultModel).toBe('demo');
    expect(config.demoDelayMs).toBeGreaterThanOrEqual(20);
  });

  it('OPENAI_API_KEY alone: gpt-4o-mini with that key, the default, the demo still offered', () => {
    const config = loadModelsConfig({ OPENAI_API_KEY: 'sk-one' });
    expect(ids(config)).toEqual(['gpt-4o-mini', 'demo']);
    expect(config.models[0]).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-one', isDefault: true });
    expect(config.defaultModel).toBe('gpt-4o-mini');
  });

  it('OPENAI_MODELS and OPENAI_BASE_URL choose the models and the endpoint', () => {
    const config = loadModelsConfig({ OPENAI_API_KEY: 'sk-one', OPENAI_MODELS: 'gpt-4o, gpt-4.1-mini', OPENAI_BASE_URL: 'https://proxy.example.com/v1' });
    expect(ids(config)).toEqual(['gpt-4o', 'gpt-4.1-mini', 'demo']);
    expect(config.models[1]).toMatchObject({ baseURL: 'https://proxy.example.com/v1', apiKey: 'sk-one' });
  });

  it('ANTHROPIC_API_KEY alone: claude-sonnet-4-5; with OpenAI too, both are offered', () => {
    const config = loadModelsConfig({ ANTHROPIC_API_KEY: 'sk-ant', OPENAI_API_KEY: 'sk-one', ANTHROPIC_MODELS: 'claude-sonnet-4-5,claude-haiku-4-5' });
    expect(ids(config)).toEqual(['gpt-4o-mini', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'demo']);
    expect(config.models.find((model) => model.id === 'claude-haiku-4-5')).toMatchObject({ provider: 'anthropic', apiKey: 'sk-ant' });
  });

  it('AI_CHAT_MODELS: an Ollama model with no key, with its label, default flag and system prompt', () => {
    const config = loadModelsConfig({
      AI_CHAT_MODELS: models({ id: 'llama', label: 'Llama 3.2', provider: 'openai-compatible', model: 'llama3.2', baseURL: 'http://localhost:11434/v1', default: true, systemPrompt: 'Be brief.' }),
      AI_CHAT_SYSTEM_PROMPT: 'Be kind.',
    });
    expect(config.models[0]).toEqual({
      id: 'llama', label: 'Llama 3.2', provider: 'openai-compatible', model: 'llama3.2', baseURL: 'http://localhost:11434/v1',
      apiKey: undefined, isDefault: true, systemPrompt: 'Be brief.', maxOutputTokens: undefined,
    });
    expect(config.systemPrompt).toBe('Be kind.');
    expect(config.defaultModel).toBe('llama');
  });

  it('apiKeyEnv reads the key from the variable it names', () => {
    const config = loadModelsConfig({
      AI_CHAT_MODELS: models({ id: 'router', provider: 'openai-compatible', baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_KEY' }),
      OPENROUTER_KEY: 'sk-or-secret',
    });
    expect(config.models[0]?.apiKey).toBe('sk-or-secret');
  });

  it('the config file: models, prompt, title model, budget and timeouts; environment variables win', () => {
    const file = JSON.stringify({
      models: [{ id: 'gpt', provider: 'openai', model: 'gpt-4o' }, { id: 'mini', provider: 'openai', model: 'gpt-4o-mini' }],
      systemPrompt: 'From the file.',
      titleModel: 'mini',
      historyBudget: 1000,
      timeouts: { firstTokenMs: 5000 },
      demo: { enabled: false },
    });
    const config = loadModelsConfig({ AI_CHAT_CONFIG: '/etc/ai-chat.json', OPENAI_API_KEY: 'sk-one', AI_CHAT_HISTORY_BUDGET: '2000', AI_CHAT_DEFAULT_MODEL: 'mini' }, () => file);
    expect(ids(config)).toEqual(['gpt', 'mini']);
    expect(config).toMatchObject({ systemPrompt: 'From the file.', titleModel: 'mini', historyBudget: 2000, defaultModel: 'mini' });
    expect(config.timeouts.firstTokenMs).toBe(5000);
    // the key alone adds no gpt-4o-mini of its own: the file's models use it
    expect(config.models.every((model) => model.apiKey === 'sk-one')).toBe(true);
  });

  it('timeouts come from AI_CHAT_FIRST_TOKEN_TIMEOUT_MS and AI_CHAT_IDLE_TIMEOUT_MS, with defaults for the rest', () => {
    const { timeouts } = loadModelsConfig({ AI_CHAT_FIRST_TOKEN_TIMEOUT_MS: '1500', AI_CHAT_IDLE_TIMEOUT_MS: '700' });
    expect(timeouts).toMatchObject({ firstTokenMs: 1500, idleMs: 700 });
    expect(timeouts.retryDelayMs).toBeGreaterThan(0);
  });

  it('AI_CHAT_DISABLE_DEMO=true removes the demo; AI_CHAT_DEMO_DELAY_MS sets its pace', () => {
    expect(ids(loadModelsConfig({ OPENAI_API_KEY: 'sk', AI_CHAT_DISABLE_DEMO: 'true' }))).toEqual(['gpt-4o-mini']);
    expect(loadModelsConfig({ AI_CHAT_DEMO_DELAY_MS: '0' }).demoDelayMs).toBe(0);
  });

  it('starter prompts come from AI_CHAT_STARTERS or the file, as strings or { prompt, label }; the variable wins', () => {
    const file = JSON.stringify({ starters: ['From the file'] });
    expect(loadModelsConfig({}).starters).toEqual([]);
    expect(loadModelsConfig({ AI_CHAT_CONFIG: '/etc/ai-chat.json' }, () => file).starters).toEqual([{ prompt: 'From the file' }]);
    const variable = JSON.stringify(['  Plan a trip ', { prompt: 'Explain tides', label: 'Tides' }]);
    expect(loadModelsConfig({ AI_CHAT_CONFIG: '/etc/ai-chat.json', AI_CHAT_STARTERS: variable }, () => file).starters).toEqual([
      { prompt: 'Plan a trip' },
      { prompt: 'Explain tides', label: 'Tides' },
    ]);
    expect(() => loadModelsConfig({ AI_CHAT_STARTERS: 'Plan a trip' })).toThrow(/AI_CHAT_STARTERS: is not valid JSON/);
    expect(() => loadModelsConfig({ AI_CHAT_STARTERS: JSON.stringify(['']) })).toThrow(/AI_CHAT_STARTERS.*must not be empty/);
    expect(() => loadModelsConfig({ AI_CHAT_STARTERS: JSON.stringify(Array.from({ length: 13 }, (_, index) => `p${index}`)) })).toThrow(/at most 12/);
    expect(() => loadModelsConfig({ AI_CHAT_STARTERS: JSON.stringify([{ prompt: 'x', url: 'y' }]) })).toThrow(/AI_CHAT_STARTERS/);
  });

  it('empty variables count as unset', () => {
    expect(ids(loadModelsConfig({ OPENAI_API_KEY: '', AI_CHAT_MODELS: '' }))).toEqual(['demo']);
  });
});

describe('loadModelsConfig: misconfiguration names the variable and the problem', () => {
  it.each<[string, Env, RegExp]>([
    ['a bad base URL', { AI_CHAT_MODELS: models({ id: 'a', provider: 'openai-compatible', baseURL: 'http://x/v1' }, { id: 'b', provider: 'openai-compatible', baseURL: 'not a url' }) }, /^AI_CHAT_MODELS\[1\]\.baseURL: must be a URL$/],
    ['an unknown provider', { AI_CHAT_MODELS: models({ id: 'a', provider: 'gemini' }) }, /^AI_CHAT_MODELS\[0\]\.provider: must be one of openai, anthropic, openai-compatible$/],
    ['an unknown field', { AI_CHAT_MODELS: models({ id: 'a', provider: 'openai', temperature: 2 }) }, /^AI_CHAT_MODELS\[0\]: .*temperature/],
    ['not JSON', { AI_CHAT_MODELS: '[{"id": "a", "apiKey": "sk-live-123",' }, /^AI_CHAT_MODELS: is not valid JSON/],
    ['not an array', { AI_CHAT_MODELS: '{"id":"a"}' }, /^AI_CHAT_MODELS: must be a JSON array of models$/],
    ['a missing OpenAI key', { AI_CHAT_MODELS: models({ id: 'x', provider: 'openai' }) }, /^OPENAI_API_KEY is required by model "x" \(AI_CHAT_MODELS\[0\]\)$/],
    ['a missing Anthropic key', { ANTHROPIC_MODELS: 'claude-haiku-4-5' }, /^ANTHROPIC_API_KEY is required by model "claude-haiku-4-5"/],
    ['a missing apiKeyEnv variable', { AI_CHAT_MODELS: models({ id: 'r', provider: 'openai-compatible', baseURL: 'http://h/v1', apiKeyEnv: 'ROUTER_KEY' }) }, /^ROUTER_KEY is required by model "r"/],
    ['an openai-compatible model without a base URL', { AI_CHAT_MODELS: models({ id: 'o', provider: 'openai-compatible' }) }, /^AI_CHAT_MODELS\[0\]\.baseURL: is required/],
    ['two defaults', { OPENAI_API_KEY: 'sk', AI_CHAT_MODELS: models({ id: 'a', provider: 'openai', default: true }, { id: 'b', provider: 'openai', default: true }) }, /more than one default model: "a" \(AI_CHAT_MODELS\[0\]\) and "b" \(AI_CHAT_MODELS\[1\]\)/],
    ['duplicate ids', { OPENAI_API_KEY: 'sk', OPENAI_MODELS: 'gpt-4o', AI_CHAT_MODELS: models({ id: 'gpt-4o', provider: 'openai' }) }, /^duplicate model id "gpt-4o": AI_CHAT_MODELS\[0\] and OPENAI_MODELS$/],
    ['the demo id taken', { AI_CHAT_MODELS: models({ id: 'demo', provider: 'openai-compatible', baseURL: 'http://h/v1' }) }, /^duplicate model id "demo": the built-in demo model/],
    ['an unknown default', { OPENAI_API_KEY: 'sk', AI_CHAT_DEFAULT_MODEL: 'gpt-5' }, /^AI_CHAT_DEFAULT_MODEL: unknown model "gpt-5" \(configured: gpt-4o-mini, demo\)$/],
    ['an unknown title model', { AI_CHAT_TITLE_MODEL: 'tiny' }, /^AI_CHAT_TITLE_MODEL: unknown model "tiny"/],
    ['a bad history budget', { AI_CHAT_HISTORY_BUDGET: 'lots' }, /^AI_CHAT_HISTORY_BUDGET: must be a whole number above 0/],
    ['a zero history budget', { AI_CHAT_HISTORY_BUDGET: '0' }, /^AI_CHAT_HISTORY_BUDGET: must be a whole number above 0/],
    ['a bad demo pace', { AI_CHAT_DEMO_DELAY_MS: '-5' }, /^AI_CHAT_DEMO_DELAY_MS: must be a whole number/],
    ['a bad boolean', { AI_CHAT_DISABLE_DEMO: 'maybe' }, /^AI_CHAT_DISABLE_DEMO: must be true or false/],
    ['no models at all', { AI_CHAT_DISABLE_DEMO: 'true' }, /^no models configured/],
    ['a bad OPENAI_BASE_URL', { OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: 'localhost:8080' }, /^OPENAI_BASE_URL: must be a URL/],
  ])('%s', (_, env, message) => {
    expect(loadError(env).message).toMatch(message);
  });

  it('never repeats a key from AI_CHAT_MODELS in its message', () => {
    const error = loadError({ AI_CHAT_MODELS: '[{"id":"a","provider":"openai","apiKey":"sk-live-very-secret"' });
    expect(error.message).not.toContain('sk-live');
  });

  it('names the config file and the field at fault', () => {
    const files = { '/etc/ai-chat.json': JSON.stringify({ models: [{ id: 'a', provider: 'openai', baseURL: 'nope' }] }) };
    expect(loadError({ AI_CHAT_CONFIG: '/etc/ai-chat.json' }, files).message).toBe('/etc/ai-chat.json: models[0].baseURL: must be a URL');
  });

  it('refuses a key written in the config file', () => {
    const files = { 'c.json': JSON.stringify({ models: [{ id: 'a', provider: 'openai', apiKey: 'sk-in-a-file' }] }) };
    const error = loadError({ AI_CHAT_CONFIG: 'c.json' }, files);
    expect(error.message).toMatch(/^c\.json: models\[0\]\.apiKey: keys must not be written in a file; name the environment variable that holds it with apiKeyEnv$/);
    expect(error.message).not.toContain('sk-in-a-file');
  });

  it("names the file's field when the file's default or title model is unknown", () => {
    const files = { 'c.json': JSON.stringify({ defaultModel: 'ghost' }), 't.json': JSON.stringify({ titleModel: 'tiny' }) };
    expect(loadError({ AI_CHAT_CONFIG: 'c.json' }, files).message).toBe('c.json: defaultModel: unknown model "ghost" (configured: demo)');
    expect(loadError({ AI_CHAT_CONFIG: 't.json' }, files).message).toBe('t.json: titleModel: unknown model "tiny" (configured: demo)');
  });

  it('says when the config file cannot be read or is not JSON', () => {
    expect(loadError({ AI_CHAT_CONFIG: '/missing.json' }).message).toBe('AI_CHAT_CONFIG: cannot read /missing.json (ENOENT)');
    expect(loadError({ AI_CHAT_CONFIG: 'bad.json' }, { 'bad.json': '{ models: [' }).message).toMatch(/^bad\.json: is not valid JSON/);
  });
});
