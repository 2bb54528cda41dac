import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('PUBLIC_URL and the WebAuthn relying party', () => {
  it('default to localhost on the configured port, since a WebAuthn RP id cannot be an IP address', () => {
    const config = loadConfig({ PORT: '4711' });
    expect(config.publicUrl).toBe('http://localhost:4711');
    expect(config.webauthnRpId).toBe('localhost');
    expect(config.webauthnOrigin).toBe('http://localhost:4711');
  });

  it('derive the RP id and origin from PUBLIC_URL, dropping a trailing slash and any path', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://accounts.example.com/app/' });
    expect(config.publicUrl).toBe('https://accounts.example.com/app');
    expect(config.webauthnRpId).toBe('accounts.example.com');
    expect(config.webauthnOrigin).toBe('https://accounts.example.com');
  });

  it('let WEBAUTHN_RP_ID and WEBAUTHN_ORIGIN be set on their own', () => {
    const config = loadConfig({
      PUBLIC_URL: 'https://app.example.com',
      WEBAUTHN_RP_ID: 'example.com',
      WEBAUTHN_ORIGIN: 'https://login.example.com/',
    });
    expect(config.webauthnRpId).toBe('example.com');
    expect(config.webauthnOrigin).toBe('https://login.example.com');
  });

  it('refuse an IP address as RP id, naming the variable', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3000' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3000' })).toThrow(/WEBAUTHN_RP_ID: 127\.0\.0\.1/);
    expect(() => loadConfig({ WEBAUTHN_RP_ID: '::1' })).toThrow(/IP address/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://example.com' })).toThrow(
      /PUBLIC_URL: must be an http\(s\) URL/,
    );
  });
});
