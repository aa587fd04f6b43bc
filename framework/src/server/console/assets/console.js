// The developer console: the connection form the platform renders from `info`, a capability
// runner and an info view. Served from the connector itself (same origin), no dependency.
//
// Credentials (the form's secrets, OAuth tokens, the server's bearer token) live in this page's
// memory only: never in storage, cookies or the URL, and sent only to this origin.
'use strict';

(function () {
  // ---- state ---------------------------------------------------------------------------------

  var AUTH_KIND_TITLES = {
    BasicCredential: 'basic', TokenCredential: 'token', OAuthCredential: 'oauth',
    OAuthClientCredential: 'oauth_client_credentials'
  };
  var AUTH_KIND_LABELS = {
    basic: 'Basic (username and password)', token: 'Token', oauth: 'OAuth access token',
    oauth_client_credentials: 'OAuth client credentials'
  };
  // Which keys name secrets: the SDK's redaction layer's own rule, served at
  // /console/secret-keys.json (loaded with the capability facts, before anything is shown).
  var secretRule = { exact: [], parts: [], identifiers: [] };

  /** The redaction layer's rule: lower-cased, `-` and `.` read as `_`; an exact name or a part. */
  function isSecretKey(key) {
    var name = String(key).toLowerCase().replace(/[-.]/g, '_');
    if (secretRule.identifiers.indexOf(name) >= 0) { return false; }
    if (secretRule.exact.indexOf(name) >= 0) { return true; }
    return secretRule.parts.some(function (part) { return name.indexOf(part) >= 0; });
  }

  var state = {
    protocol: {},         // /console/capabilities.json: group, listing, summary per capability
    token: null,          // the server's bearer token, when it needs one
    info: null,           // the `info` response
    credentials: [],      // a multi-credential connector's credentials (credentials_schema)
    settingsFields: [],   // field descriptors of the settings schema
    authKinds: [],        // [{kind, fields: [descriptor]}]
    pendingOAuth: null,   // the consent in flight: {state, clientId, clientSecret, codeVerifier}
    refreshToken: null,   // from the OAuth consent, kept in memory only
    page: null            // the runner's last listing: {capability, payload, size, token, number}
  };

  // ---- small helpers -------------------------------------------------------------------------

  function $(id) { return document.getElementById(id); }

  /** `read`, `write` or `oauth`; a capability this page does not know counts as a write. */
  function groupOf(capability) {
    var facts = state.protocol[capability];
    return facts ? facts.group : 'write';
  }

  function isListing(capability) {
    var facts = state.protocol[capability];
    return !!(facts && facts.listing);
  }

  function describeCapability(capability) {
    var schema = (state.info.capability_schema || {})[capability] || {};
    var facts = state.protocol[capability] || {};
    return schema.description || facts.summary || '';
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) { return; }
      if (key === 'text') { node.textContent = value; } else if (key === 'className') {
        node.className = value;
      } else { node.setAttribute(key, value === true ? '' : String(value)); }
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function show(node, visible) { node.hidden = !visible; }

  function randomHex(bytes) {
    var buffer = new Uint8Array(bytes);
    window.crypto.getRandomValues(buffer);
    return Array.prototype.map.call(buffer, function (b) {
      return ('0' + b.toString(16)).slice(-2);
    }).join('');
  }

  function words(name) { return name.replace(/_/g, ' '); }

  /** A copy of a JSON value with every secret-looking string replaced, for display. */
  function masked(value, key) {
    if (Array.isArray(value)) { return value.map(function (v) { return masked(v, key); }); }
    if (value && typeof value === 'object') {
      var out = {};
      Object.keys(value).forEach(function (k) { out[k] = masked(value[k], k); });
      return out;
    }
    if (typeof value === 'string' && key && isSecretKey(key) && !/^(token_type|page_token)$/.test(key)
        && value.length > 0) {
      return '•••••• (' + value.length + ' characters, kept in this page)';
    }
    return value;
  }

  // ---- talking to the connector --------------------------------------------------------------

  function request(method, path, body) {
    var headers = {};
    if (state.token) { headers.Authorization = 'Bearer ' + state.token; }
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    return fetch(path, {
      method: method, headers: headers, cache: 'no-store', credentials: 'omit',
      referrerPolicy: 'no-referrer', body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var json = null;
        try { json = JSON.parse(text); } catch (e) { json = null; }
        return { status: response.status, json: json, text: text };
      });
    });
  }

  /** Runs a capability; resolves to {status, envelope, ms}. */
  function call(capability, envelope) {
    var started = performance.now();
    return request('POST', '/' + capability, envelope).then(function (answer) {
      return { status: answer.status, envelope: answer.json, text: answer.text,
        ms: performance.now() - started };
    });
  }

  // ---- the settings schema -> form fields ----------------------------------------------------

  function definition(root, ref) {
    var match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref || '');
    if (!match) { return {}; }
    var defs = root[match[1]] || {};
    return defs[decodeURIComponent(match[2])] || {};
  }

  /** The field descriptor of one property: type, enum, default, secret, … */
  function describe(name, property, root, required) {
    var field = {
      name: name, title: property.title || words(name), description: property.description || '',
      required: required, nullable: false, type: null, format: null, enumValues: null,
      itemsType: null, minimum: null, maximum: null, fieldType: property['x-field_type'] || null,
      hasDefault: Object.prototype.hasOwnProperty.call(property, 'default'),
      defaultValue: property['default']
    };
    var schema = property;
    for (var step = 0; step < 8; step += 1) {
      if (schema.$ref) {
        var target = definition(root, schema.$ref);
        if (!field.description && target.description) { field.description = target.description; }
        schema = target;
        continue;
      }
      var alternatives = schema.anyOf || schema.oneOf;
      if (alternatives) {
        var others = alternatives.filter(function (a) { return a.type !== 'null'; });
        if (others.length < alternatives.length) { field.nullable = true; }
        var constants = others.every(function (a) {
          return Object.prototype.hasOwnProperty.call(a, 'const') || (a.enum && a.enum.length === 1);
        });
        if (others.length > 1 && constants) {
          field.enumValues = others.map(function (a) {
            return Object.prototype.hasOwnProperty.call(a, 'const') ? a.const : a.enum[0];
          });
          schema = { type: typeof field.enumValues[0] === 'number' ? 'integer' : 'string' };
          break;
        }
        if (others.length === 1) { schema = others[0]; continue; }
      }
      break;
    }
    var type = schema.type;
    if (Array.isArray(type)) {
      if (type.indexOf('null') >= 0) { field.nullable = true; }
      type = type.filter(function (t) { return t !== 'null'; })[0];
    }
    if (schema.enum) {
      field.enumValues = schema.enum.filter(function (v) { return v !== null; });
      if (!type) { type = typeof field.enumValues[0] === 'number' ? 'integer' : 'string'; }
    }
    field.type = type || 'string';
    field.format = schema.format || null;
    if (typeof schema.minimum === 'number') { field.minimum = schema.minimum; }
    if (typeof schema.maximum === 'number') { field.maximum = schema.maximum; }
    if (field.type === 'array' && schema.items) {
      var items = schema.items.$ref ? definition(root, schema.items.$ref) : schema.items;
      field.itemsType = Array.isArray(items.type) ? items.type[0] : (items.type || 'string');
    }
    if (!field.fieldType && (property.writeOnly || schema.writeOnly || schema['x-field_type'] === 'SECRET'
        || schema.format === 'password' || property.format === 'password' || property['x-secret'])) {
      field.fieldType = 'SECRET';
    }
    return field;
  }

  /** The fields of an object schema, in the schema's order (the order they are sent in). */
  function fieldsOf(schema) {
    var properties = (schema && schema.properties) || {};
    var required = (schema && schema.required) || [];
    return Object.keys(properties).map(function (name) {
      return describe(name, properties[name], schema, required.indexOf(name) >= 0);
    });
  }

  /** The order a form shows fields in: required ones first, as declared; then the others. */
  function formOrder(fields, schema) {
    var required = (schema && schema.required) || [];
    return fields.slice().sort(function (a, b) {
      var ra = required.indexOf(a.name), rb = required.indexOf(b.name);
      if (ra >= 0 && rb >= 0) { return ra - rb; }
      if (ra >= 0 || rb >= 0) { return ra >= 0 ? -1 : 1; }
      return 0;
    });
  }

  function typeHint(field) {
    if (field.enumValues) { return 'one of ' + field.enumValues.join(', '); }
    if (field.type === 'array') { return 'list of ' + (field.itemsType || 'values') + ', one per line'; }
    if (field.type === 'object') { return 'JSON object'; }
    return field.type + (field.format ? ' (' + field.format + ')' : '');
  }

  function inputFor(field, id) {
    var input;
    if (field.enumValues) {
      input = el('select', { id: id, name: field.name });
      input.appendChild(el('option', { value: '', text: field.required ? '— choose —' : '(not set)' }));
      field.enumValues.forEach(function (value) {
        input.appendChild(el('option', { value: JSON.stringify(value), text: String(value) }));
      });
      if (field.hasDefault && field.defaultValue !== null) { input.value = JSON.stringify(field.defaultValue); }
    } else if (field.type === 'boolean') {
      input = el('select', { id: id, name: field.name });
      input.appendChild(el('option', { value: '', text: '(not set)' }));
      input.appendChild(el('option', { value: 'true', text: 'true' }));
      input.appendChild(el('option', { value: 'false', text: 'false' }));
      if (field.hasDefault && typeof field.defaultValue === 'boolean') { input.value = String(field.defaultValue); }
    } else if (field.type === 'array' || field.type === 'object' || field.fieldType === 'MULTI_LINES') {
      input = el('textarea', { id: id, name: field.name, rows: 3, spellcheck: 'false' });
      if (field.hasDefault && field.defaultValue !== null) {
        input.value = field.type === 'array' && Array.isArray(field.defaultValue)
          ? field.defaultValue.join('\n')
          : (typeof field.defaultValue === 'string' ? field.defaultValue : JSON.stringify(field.defaultValue, null, 2));
      }
    } else {
      var secret = field.fieldType === 'SECRET';
      input = el('input', {
        id: id, name: field.name, type: secret ? 'password' : 'text', autocomplete: 'off',
        spellcheck: 'false', inputmode: field.type === 'integer' || field.type === 'number' ? 'decimal' : null
      });
      if (field.hasDefault && field.defaultValue !== null && !secret) { input.value = String(field.defaultValue); }
    }
    if (field.hasDefault && field.defaultValue !== null) {
      input.setAttribute('placeholder', 'default: ' + (typeof field.defaultValue === 'string'
        ? field.defaultValue : JSON.stringify(field.defaultValue)));
    }
    return input;
  }

  function renderField(container, field, prefix) {
    var id = prefix + field.name;
    var label = el('label', { 'for': id }, [
      field.title,
      field.required ? el('span', { className: 'required-mark', title: 'required', text: '*' }) : null,
      el('span', { className: 'type-hint', text: typeHint(field) + (field.fieldType === 'SECRET' ? ', secret' : '') })
    ]);
    var input = inputFor(field, id);
    var wrapper = el('div', { className: 'field', 'data-field': field.name }, [
      label, input,
      field.description ? el('p', { className: 'field-description', text: field.description }) : null,
      el('p', { className: 'field-error', id: id + '-error', hidden: true })
    ]);
    container.appendChild(wrapper);
    return input;
  }

  // ---- form values and the connector's own messages ------------------------------------------

  /** `u16` for `uint16`, as serde names the Rust type in its messages. */
  function rustType(field) {
    var format = field.format || '';
    var match = /^(u?)int(8|16|32|64|128)$/.exec(format);
    if (match) { return (match[1] ? 'u' : 'i') + match[2]; }
    if (format === 'double') { return 'f64'; }
    if (format === 'float') { return 'f32'; }
    if (format === 'uint') { return 'usize'; }
    if (format === 'int') { return 'isize'; }
    if (field.type === 'string') { return 'a string'; }
    if (field.type === 'boolean') { return 'a boolean'; }
    if (field.type === 'integer') { return 'i64'; }
    if (field.type === 'number') { return 'f64'; }
    return 'a ' + field.type;
  }

  /** The range of an integer field: its Rust type's, which is what serde checks. */
  function integerRange(field) {
    var bits = { i8: 8, i16: 16, i32: 32, i64: 64, i128: 128, isize: 64, u8: 8, u16: 16, u32: 32,
      u64: 64, u128: 128, usize: 64 };
    var type = rustType(field);
    var low = -Infinity, high = Infinity;
    if (bits[type]) {
      var span = Math.pow(2, bits[type]);
      if (type.charAt(0) === 'u') { low = 0; high = span - 1; } else { low = -span / 2; high = span / 2 - 1; }
    }
    return [low, high];
  }

  /**
   * The value of one field: {absent} when the input is empty, else {value}, plus the message
   * serde (and so the connector) gives for it, if any.
   */
  function readField(field, input) {
    var raw = input.value;
    if (raw === '' || (field.type !== 'string' && raw.trim() === '')) { return { absent: true }; }
    if (field.enumValues) {
      var chosen = JSON.parse(raw);
      return { value: chosen };
    }
    if (field.type === 'boolean') { return { value: raw === 'true' }; }
    if (field.type === 'integer') {
      // serde's messages name the Rust type and never the value; we send what it would get.
      var text = raw.trim();
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
        return { value: raw, message: 'invalid type: string, expected ' + rustType(field) };
      }
      var number = Number(text);
      if (!/^[-+]?\d+$/.test(text) || !Number.isSafeInteger(number)) {
        if (Number.isInteger(number) && /^[-+]?\d+$/.test(text)) {
          return { value: number, message: 'invalid value: integer, expected ' + rustType(field) };
        }
        return { value: number, message: 'invalid type: number, expected ' + rustType(field) };
      }
      var range = integerRange(field);
      if (number < range[0] || number > range[1]) {
        return { value: number, message: 'invalid value: integer, expected ' + rustType(field) };
      }
      return { value: number };
    }
    if (field.type === 'number') {
      var parsed = Number(raw.trim());
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw.trim()) || !isFinite(parsed)) {
        return { value: raw, message: 'invalid type: string, expected ' + rustType(field) };
      }
      return { value: parsed };
    }
    if (field.type === 'array') {
      var items = raw.split('\n').map(function (line) { return line.trim(); })
        .filter(function (line) { return line !== ''; });
      if (field.itemsType === 'integer' || field.itemsType === 'number') {
        return { value: items.map(Number) };
      }
      return { value: items };
    }
    if (field.type === 'object') {
      try { return { value: JSON.parse(raw) }; } catch (e) {
        return { value: raw, message: 'invalid type: string ' + JSON.stringify(raw) + ', expected a map' };
      }
    }
    return { value: raw };
  }

  /**
   * The settings object of the form, and the connector's messages for it: the first problem in
   * the order serde meets it (a bad value in field order, then the first missing required
   * field), worded as the connector's `bad_request` envelope words it.
   */
  function readSettings() {
    var settings = {};
    var problems = [];
    state.settingsFields.forEach(function (field) {
      if (field.fieldType === 'HIDDEN') {
        if (field.hasDefault && field.defaultValue !== null) { settings[field.name] = field.defaultValue; }
        return;
      }
      var input = $('setting-' + field.name);
      var read = readField(field, input);
      if (read.absent) {
        if (field.required) {
          problems.push({ field: field, missing: true, message: 'missing field `' + field.name + '`' });
        }
        return;
      }
      settings[field.name] = read.value;
      if (read.message) { problems.push({ field: field, message: read.message }); }
    });
    // serde reports a bad value as it meets it, else the first missing field as declared
    // (the schema's `required` keeps the declaration order; its properties may be sorted).
    var schema = (state.info && state.info.request_settings_schema) || {};
    var required = schema.required || [];
    var missing = problems.filter(function (p) { return p.missing; }).sort(function (a, b) {
      return required.indexOf(a.field.name) - required.indexOf(b.field.name);
    });
    var first = problems.filter(function (p) { return !p.missing; })[0] || missing[0] || null;
    var message = null;
    if (first) {
      message = 'Invalid settings passed on request - settings' +
        (first.missing ? ': ' : '.' + first.field.name + ': ') + first.message;
    }
    return { settings: settings, problems: problems, message: message };
  }

  function showSettingsProblems() {
    var read = readSettings();
    state.settingsFields.forEach(function (field) {
      var input = $('setting-' + field.name);
      var error = $('setting-' + field.name + '-error');
      if (!input || !error) { return; }
      var problem = read.problems.filter(function (p) { return p.field === field; })[0];
      input.setAttribute('aria-invalid', problem ? 'true' : 'false');
      error.textContent = problem ? problem.message : '';
      show(error, !!problem);
    });
    $('settings-error').textContent = read.message || '';
    show($('settings-error'), !!read.message);
    return read;
  }

  function currentAuthKind() {
    var select = $('auth-kind');
    if (select) { return select.value; }
    return state.authKinds.length ? state.authKinds[0].kind : null;
  }

  function readAuth() {
    var kind = currentAuthKind();
    if (!kind) { return null; }
    var entry = state.authKinds.filter(function (k) { return k.kind === kind; })[0];
    var credential = {};
    entry.fields.forEach(function (field) {
      var input = $('auth-' + kind + '-' + field.name);
      if (!input) { return; }
      var read = readField(field, input);
      if (!read.absent) {
        credential[field.name] = read.value;
      } else if (field.required && field.type === 'string') {
        credential[field.name] = ''; // an empty credential field is sent empty, as a form would
      }
    });
    var auth = {};
    auth[kind] = credential;
    return auth;
  }

  function envelopeFor(capability, payload, page) {
    var envelope = {};
    if (groupOf(capability) !== 'oauth' && state.credentials.length) {
      envelope.credentials = readCredentials();
    } else if (groupOf(capability) !== 'oauth') {
      var auth = readAuth();
      if (auth) { envelope.auth = auth; }
    }
    envelope.request = payload;
    envelope.settings = readSettings().settings;
    if (page) { envelope.page = page; }
    return envelope;
  }

  // ---- rendering the connection form ---------------------------------------------------------

  function renderHeader(info) {
    var name = info.user_friendly_name || info.app_id;
    document.title = name + ' — connector console';
    $('app-name').textContent = name;
    $('app-version').textContent = info.app_id + ' ' + info.version;
    $('app-description').textContent = info.description || '';
    var logo = $('app-logo');
    clear(logo);
    var url = info.logo_url || '';
    if (/^data:image\//.test(url) || (url.charAt(0) === '/' && url.charAt(1) !== '/')) {
      logo.appendChild(el('img', { src: url, alt: name + ' logo', id: 'app-logo-image' }));
    } else {
      // Only this origin is ever contacted: a logo elsewhere is named, not loaded.
      logo.textContent = name.charAt(0).toUpperCase();
      if (url) { logo.setAttribute('title', 'Logo: ' + url + ' (not loaded: the console contacts no other site)'); }
    }
    var categories = $('app-categories');
    clear(categories);
    (info.categories || []).forEach(function (category) {
      categories.appendChild(el('li', { text: words(String(category)).toLowerCase() }));
    });
  }

  function authKindsOf(info) {
    var schema = info.authentication_schema || {};
    if (AUTH_KIND_TITLES[schema.title]) {
      return [{ kind: AUTH_KIND_TITLES[schema.title], fields: formOrder(fieldsOf(schema), schema) }];
    }
    var properties = schema.properties || {};
    return Object.keys(properties).map(function (kind) {
      return { kind: kind, fields: formOrder(fieldsOf(properties[kind]), properties[kind]) };
    });
  }

  /** A multi-credential connector's credentials (protocol 4's `credentials_schema`). */
  function credentialsOf(info) {
    var list = Array.isArray(info.credentials_schema) ? info.credentials_schema : [];
    return list.filter(function (schema) { return schema && schema.id; }).map(function (schema) {
      return {
        id: schema.id, kind: schema['x-credential-type'], optional: !!schema['x-optional'],
        description: schema.description || '', fields: formOrder(fieldsOf(schema), schema)
      };
    });
  }

  function credentialPrefix(credential) { return 'cred-' + credential.id + '-'; }

  /** One credential's payload as the form holds it; null when none of its fields is filled. */
  function readCredential(credential) {
    var payload = {};
    var filled = false;
    credential.fields.forEach(function (field) {
      var input = $(credentialPrefix(credential) + field.name);
      if (!input) { return; }
      var read = readField(field, input);
      if (!read.absent) {
        payload[field.name] = read.value;
        filled = true;
      } else if (field.required && field.type === 'string') {
        payload[field.name] = '';
      }
    });
    if (!filled && credential.fields.length) { return null; }
    var entry = { id: credential.id };
    entry[credential.kind] = payload;
    return entry;
  }

  /** The request's `credentials` list: every credential with a filled field. */
  function readCredentials() {
    return state.credentials.map(readCredential).filter(function (entry) { return entry !== null; });
  }

  /** Runs the SDK's validate_credential_config on one credential and shows its verdict. */
  function checkCredential(credential) {
    var status = $(credentialPrefix(credential) + 'status');
    var entry = readCredential(credential) || { id: credential.id };
    status.textContent = 'Checking…';
    show(status, true);
    call('validate_credential_config', { request: { credential: entry }, settings: readSettings().settings })
      .then(function (answer) {
        var envelope = answer.envelope;
        if (!envelope) { status.textContent = describeFailure(answer); return; }
        if (envelope.is_error) { status.textContent = 'Refused: ' + envelope.error.message; return; }
        var verdict = envelope.response || {};
        status.textContent = verdict.valid ? 'Valid.'
          : 'Not valid: ' + (verdict.validation_errors || []).join('; ');
      }, function (error) { status.textContent = 'The check failed: ' + error.message; });
  }

  /** One fieldset per credential of a multi-credential connector. */
  function renderCredentialFieldsets() {
    var container = $('auth-fields');
    clear(container);
    var row = $('auth-kind-row');
    clear(row);
    row.appendChild(el('p', { className: 'field-description',
      text: 'Credentials: this connector accepts several; fill in the ones to send.' }));
    state.credentials.forEach(function (credential) {
      var fieldset = el('fieldset', { className: 'credential', id: credentialPrefix(credential) + 'fieldset' }, [
        el('legend', { text: credential.id + ' (' + (AUTH_KIND_LABELS[credential.kind] || credential.kind) + ')'
          + (credential.optional ? ', optional' : '') })
      ]);
      if (credential.description) {
        fieldset.appendChild(el('p', { className: 'field-description', text: credential.description }));
      }
      credential.fields.forEach(function (field) {
        if (isSecretKey(field.name) && field.type === 'string') { field.fieldType = 'SECRET'; }
        renderField(fieldset, field, credentialPrefix(credential));
      });
      if (hasCapability('validate_credential_config')) {
        var button = el('button', { type: 'button', id: credentialPrefix(credential) + 'check',
          text: 'Check this credential' });
        button.addEventListener('click', function () { checkCredential(credential); });
        fieldset.appendChild(button);
        var status = el('p', { className: 'field-description', id: credentialPrefix(credential) + 'status' });
        show(status, false);
        fieldset.appendChild(status);
      }
      container.appendChild(fieldset);
    });
    show($('oauth-consent'), false);
  }

  function renderAuthFields() {
    var container = $('auth-fields');
    clear(container);
    var kind = currentAuthKind();
    var entry = state.authKinds.filter(function (k) { return k.kind === kind; })[0];
    if (!entry) {
      container.appendChild(el('p', { className: 'field-description', text: 'This connector takes no credential.' }));
      return;
    }
    entry.fields.forEach(function (field) {
      if (isSecretKey(field.name) && field.type === 'string') { field.fieldType = 'SECRET'; }
      renderField(container, field, 'auth-' + kind + '-');
    });
    var codeFlow = hasCapability('get_authorization_url') && hasCapability('handle_authorization_callback');
    var clientCredentials = hasCapability('handle_client_credentials_request');
    var oauthKind = kind === 'oauth' || kind === 'oauth_client_credentials';
    show($('oauth-consent'), oauthKind && (codeFlow || clientCredentials));
    show($('oauth-consent-button'), codeFlow);
    show($('oauth-client-credentials-button'), clientCredentials);
  }

  function hasCapability(name) {
    return !!state.info && (state.info.capabilities || []).indexOf(name) >= 0;
  }

  function renderForm(info) {
    state.settingsFields = fieldsOf(info.request_settings_schema || {});
    var container = $('settings-fields');
    clear(container);
    var hidden = 0;
    formOrder(state.settingsFields, info.request_settings_schema).forEach(function (field) {
      if (field.fieldType === 'HIDDEN') { hidden += 1; return; }
      renderField(container, field, 'setting-').addEventListener('input', showSettingsProblems);
    });
    if (!state.settingsFields.length) {
      container.appendChild(el('p', { className: 'field-description', text: 'This connector has no settings.' }));
    }
    if (hidden) {
      container.appendChild(el('p', { className: 'field-description',
        text: hidden + ' hidden setting(s) are sent with their defaults.' }));
    }
    state.credentials = credentialsOf(info);
    if (state.credentials.length) {
      state.authKinds = [];
      renderCredentialFieldsets();
      showSettingsProblems();
      return;
    }
    state.authKinds = authKindsOf(info);
    var row = $('auth-kind-row');
    clear(row);
    if (state.authKinds.length > 1) {
      var select = el('select', { id: 'auth-kind' });
      state.authKinds.forEach(function (k) {
        select.appendChild(el('option', { value: k.kind, text: AUTH_KIND_LABELS[k.kind] || k.kind }));
      });
      row.appendChild(el('label', { 'for': 'auth-kind', text: 'Credential' }));
      row.appendChild(select);
      select.addEventListener('change', renderAuthFields);
    } else if (state.authKinds.length === 1) {
      row.appendChild(el('p', { className: 'field-description',
        text: 'Credential: ' + (AUTH_KIND_LABELS[state.authKinds[0].kind] || state.authKinds[0].kind) }));
    }
    renderAuthFields();
    showSettingsProblems();
  }

  // ---- envelopes -----------------------------------------------------------------------------

  function errorBox(node, envelope) {
    clear(node);
    var error = envelope.error || {};
    node.className = 'result error';
    node.setAttribute('data-error-code', error.error_code || '');
    node.appendChild(el('div', {}, [el('span', { className: 'code', text: error.error_code || 'error' }),
      error.status_code ? ' (HTTP ' + error.status_code + ')' : '']));
    node.appendChild(el('div', { className: 'error-message', text: error.message || '' }));
    show(node, true);
  }

  function describeFailure(answer) {
    if (answer.status === 401 && !answer.envelope) { return 'The server needs its bearer token.'; }
    return 'HTTP ' + answer.status + ': ' + (answer.text || '').slice(0, 300);
  }

  // ---- validate credentials ------------------------------------------------------------------

  function validate(event) {
    event.preventDefault();
    var read = showSettingsProblems();
    var box = $('validate-result');
    box.removeAttribute('data-outcome');
    box.removeAttribute('data-error-code');
    box.textContent = 'Validating…';
    box.className = 'result';
    show(box, true);
    call('validate_credentials', envelopeFor('validate_credentials', {}, null)).then(function (answer) {
      var envelope = answer.envelope;
      if (!envelope) {
        box.className = 'result error';
        box.textContent = describeFailure(answer);
        box.setAttribute('data-outcome', 'failure');
        return;
      }
      if (envelope.is_error) {
        errorBox(box, envelope);
        box.setAttribute('data-outcome', 'error');
        if (read.message && envelope.error && envelope.error.message === read.message) {
          box.appendChild(el('div', { className: 'field-description', text: 'The form said so before sending.' }));
        }
        return;
      }
      clear(box);
      box.className = 'result ok';
      box.setAttribute('data-outcome', 'valid');
      var response = envelope.response || {};
      box.appendChild(el('div', {}, [el('strong', { text: response.valid ? 'Valid credentials' : 'Not valid' }),
        ' — tenant ' , el('span', { className: 'code', id: 'validate-tenant', text: String(response.unique_tenant_id) }),
        ' (' + Math.round(answer.ms) + ' ms)']));
    }, function (error) {
      box.className = 'result error';
      box.textContent = 'The request failed: ' + error;
      box.setAttribute('data-outcome', 'failure');
    });
  }

  // ---- OAuth consent -------------------------------------------------------------------------

  function oauthStatus(text, outcome) {
    var line = $('oauth-status');
    line.textContent = text;
    line.setAttribute('data-outcome', outcome || '');
  }

  function startConsent() {
    var clientId = $('oauth-client-id').value.trim();
    var clientSecret = $('oauth-client-secret').value;
    var scopes = $('oauth-scopes').value.split(/\s+/).filter(function (s) { return s !== ''; });
    if (!clientId) { oauthStatus('A client id is needed.', 'error'); return; }
    var stateParam = randomHex(16);
    var redirectUri = window.location.origin + '/console/oauth/callback';
    // Open the popup now, inside the click, so that no popup blocker stops it.
    var popup = window.open('about:blank', 'connector-console-oauth', 'popup,width=520,height=640');
    oauthStatus('Asking the connector for the authorization URL…', 'pending');
    var envelope = {
      request: { client_id: clientId, redirect_uri: redirectUri, state: stateParam, scopes: scopes },
      settings: readSettings().settings
    };
    call('get_authorization_url', envelope).then(function (answer) {
      var response = answer.envelope && answer.envelope.response;
      if (!response || answer.envelope.is_error) {
        if (popup) { popup.close(); }
        var error = answer.envelope && answer.envelope.error;
        oauthStatus(error ? error.error_code + ': ' + error.message : describeFailure(answer), 'error');
        return;
      }
      state.pendingOAuth = { state: stateParam, clientId: clientId, clientSecret: clientSecret,
        codeVerifier: response.code_verifier || null };
      oauthStatus('Waiting for the provider\'s consent in the popup…', 'pending');
      if (popup) {
        popup.location.href = response.authorization_url;
      } else {
        oauthStatus('The popup was blocked: allow popups for this page and try again.', 'error');
        state.pendingOAuth = null;
      }
    });
  }

  /** The access-token input of the credential kind shown, if any. */
  function accessTokenInput() {
    return $('auth-' + currentAuthKind() + '-access_token');
  }

  function clientCredentials() {
    var clientId = $('oauth-client-id').value.trim();
    var scopes = $('oauth-scopes').value.split(/\s+/).filter(function (s) { return s !== ''; });
    if (!clientId) { oauthStatus('A client id is needed.', 'error'); return; }
    oauthStatus('Asking for a token with the client credentials…', 'pending');
    var envelope = {
      request: { client_id: clientId, client_secret: $('oauth-client-secret').value, scopes: scopes },
      settings: readSettings().settings
    };
    call('handle_client_credentials_request', envelope).then(function (answer) {
      var result = answer.envelope;
      if (!result || result.is_error) {
        var error = result && result.error;
        oauthStatus(error ? error.error_code + ': ' + error.message : describeFailure(answer), 'error');
        return;
      }
      var input = accessTokenInput();
      if (input) { input.value = (result.response || {}).access_token || ''; }
      oauthStatus('Client credentials granted: the access token is kept in this page (' +
        Math.round(answer.ms) + ' ms).', 'done');
    });
  }

  function finishConsent(data) {
    var pending = state.pendingOAuth;
    if (!pending || !data || data.type !== 'connector-console-oauth' || typeof data.url !== 'string') { return; }
    var url;
    try { url = new URL(data.url); } catch (e) { return; }
    if (url.origin !== window.location.origin) { return; }
    if (url.searchParams.get('state') !== pending.state) {
      oauthStatus('The callback\'s state does not match this consent: ignored.', 'error');
      return;
    }
    state.pendingOAuth = null;
    if (url.searchParams.get('error')) {
      oauthStatus('The provider refused: ' + url.searchParams.get('error') + ' ' +
        (url.searchParams.get('error_description') || ''), 'error');
      return;
    }
    oauthStatus('Exchanging the code for tokens…', 'pending');
    var request = { client_id: pending.clientId, client_secret: pending.clientSecret,
      redirect_uri_with_code: data.url, state: pending.state };
    if (pending.codeVerifier) { request.code_verifier = pending.codeVerifier; }
    call('handle_authorization_callback', { request: request, settings: readSettings().settings }).then(function (answer) {
      var envelope = answer.envelope;
      if (!envelope || envelope.is_error) {
        var error = envelope && envelope.error;
        oauthStatus(error ? error.error_code + ': ' + error.message : describeFailure(answer), 'error');
        return;
      }
      var tokens = envelope.response || {};
      var input = accessTokenInput();
      if (input) { input.value = tokens.access_token || ''; }
      state.refreshToken = tokens.refresh_token || null;
      oauthStatus('Consent complete: an access token' + (state.refreshToken ? ' and a refresh token' : '') +
        ' are kept in this page (' + Math.round(answer.ms) + ' ms).', 'done');
    });
  }

  // ---- the capability runner -----------------------------------------------------------------


  /** A placeholder payload from the argument schema, as `--help`'s example: required fields. */
  function examplePayload(capability) {
    var schema = state.info.capability_schema && state.info.capability_schema[capability];
    var argument = (schema && schema.argument) || {};
    var properties = argument.properties || {};
    var requestSchema = properties.request && properties.request.$ref
      ? definition(argument, properties.request.$ref) : (properties.request || argument);
    var payload = {};
    fieldsOf(Object.assign({}, requestSchema, { $defs: argument.$defs })).forEach(function (field) {
      if (!field.required) { return; }
      var placeholder = '<' + words(field.name) + '>';
      if (field.enumValues) { payload[field.name] = field.enumValues[0]; } else if (field.type === 'array') {
        payload[field.name] = field.itemsType === 'string' ? ['<' + words(field.name).replace(/s$/, '') + '>'] : [];
      } else if (field.type === 'boolean') { payload[field.name] = false; } else if (field.type === 'integer' || field.type === 'number') {
        payload[field.name] = 0;
      } else if (field.type === 'object') { payload[field.name] = {}; } else { payload[field.name] = placeholder; }
    });
    if (capability === 'get_authorization_url') {
      payload.client_id = $('oauth-client-id').value || payload.client_id;
      payload.redirect_uri = window.location.origin + '/console/oauth/callback';
      payload.state = randomHex(8);
      payload.scopes = [];
    }
    return payload;
  }

  function selectedCapability() { return $('capability-select').value; }

  function capabilityChanged() {
    var capability = selectedCapability();
    $('capability-description').textContent = describeCapability(capability);
    $('request-payload').value = JSON.stringify(examplePayload(capability), null, 2);
    show($('page-size-row'), isListing(capability));
    var write = groupOf(capability) === 'write';
    $('write-confirm').checked = false;
    show($('write-confirm-row'), write);
    state.page = null;
    $('next-page-button').disabled = true;
  }

  function renderTable(items) {
    var table = $('runner-table');
    clear(table);
    var columns = [];
    items.forEach(function (item) {
      Object.keys(item && typeof item === 'object' ? item : { value: item }).forEach(function (key) {
        if (columns.indexOf(key) < 0) { columns.push(key); }
      });
    });
    var head = el('tr', {}, columns.map(function (c) { return el('th', { text: c }); }));
    table.appendChild(el('thead', {}, [head]));
    var body = el('tbody');
    items.forEach(function (item) {
      var row = item && typeof item === 'object' ? masked(item) : { value: item };
      body.appendChild(el('tr', {}, columns.map(function (c) {
        var value = row[c];
        var text = value === null || value === undefined ? '' : (typeof value === 'object' ? JSON.stringify(value) : String(value));
        return el('td', { className: 'mono', text: text });
      })));
    });
    table.appendChild(body);
    show($('runner-table-wrap'), true);
  }

  function run(following) {
    var capability = selectedCapability();
    if (groupOf(capability) === 'write' && !$('write-confirm').checked) {
      $('runner-status').textContent = capability + ' changes the app: tick the confirmation first.';
      $('runner-status').setAttribute('data-outcome', 'needs-confirmation');
      return;
    }
    var payload;
    try { payload = JSON.parse($('request-payload').value || '{}'); } catch (e) {
      $('runner-status').textContent = 'The request is not valid JSON: ' + e.message;
      $('runner-status').setAttribute('data-outcome', 'invalid-json');
      return;
    }
    var page = null;
    var number = 1;
    if (isListing(capability)) {
      var size = parseInt($('page-size').value, 10);
      page = { size: isFinite(size) && size > 0 ? size : null };
      if (following && state.page && state.page.token) {
        page.token = state.page.token;
        number = state.page.number + 1;
      }
    }
    var envelope = envelopeFor(capability, payload, page);
    var sent = masked(envelope);
    if (envelope.page) { sent.page = envelope.page; } // a page token is no credential
    $('runner-request').textContent = 'POST /' + capability + '\n' + JSON.stringify(sent, null, 2);
    $('run-button').disabled = true;
    $('next-page-button').disabled = true;
    $('runner-status').textContent = 'Running ' + capability + '…';
    $('runner-status').setAttribute('data-outcome', 'running');
    call(capability, envelope).then(function (answer) {
      $('run-button').disabled = false;
      var result = answer.envelope;
      var status = $('runner-status');
      show($('runner-error'), false);
      show($('runner-table-wrap'), false);
      var shown = result ? masked(result) : null;
      if (shown && result.page) { shown.page = result.page; } // a page token is no credential
      $('runner-envelope').textContent = shown ? JSON.stringify(shown, null, 2) : answer.text;
      if (!result) {
        status.textContent = capability + ': ' + describeFailure(answer);
        status.setAttribute('data-outcome', 'failure');
        return;
      }
      var ms = Math.round(answer.ms) + ' ms';
      if (result.is_error) {
        errorBox($('runner-error'), result);
        status.textContent = capability + ' failed in ' + ms + ': ' + result.error.error_code;
        status.setAttribute('data-outcome', 'error');
        state.page = null;
        return;
      }
      var token = result.page && result.page.token;
      if (Array.isArray(result.response)) {
        renderTable(result.response);
        state.page = { token: token || null, number: number };
        status.textContent = capability + ': page ' + number + ', ' + result.response.length +
          ' item(s) in ' + ms + (token ? '; more pages follow' : '; last page');
        $('next-page-button').disabled = !token;
      } else {
        status.textContent = capability + ' succeeded in ' + ms;
      }
      status.setAttribute('data-outcome', 'success');
      status.setAttribute('data-page', String(number));
    }, function (error) {
      $('run-button').disabled = false;
      $('runner-status').textContent = 'The request failed: ' + error;
      $('runner-status').setAttribute('data-outcome', 'failure');
    });
  }

  function renderRunner(info) {
    var select = $('capability-select');
    clear(select);
    (info.capabilities || []).forEach(function (name) {
      var suffix = groupOf(name) === 'read' ? '' : ' (' + groupOf(name) + ')';
      select.appendChild(el('option', { value: name, text: name + suffix }));
    });
    if (hasCapability('list_accounts')) { select.value = 'list_accounts'; }
    capabilityChanged();
  }

  // ---- the info view -------------------------------------------------------------------------

  function table(node, columns, rows) {
    clear(node);
    node.appendChild(el('thead', {}, [el('tr', {}, columns.map(function (c) { return el('th', { text: c }); }))]));
    node.appendChild(el('tbody', {}, rows.map(function (row) {
      return el('tr', {}, row.map(function (cell) {
        return typeof cell === 'string' ? el('td', { text: cell }) : el('td', {}, [cell]);
      }));
    })));
  }

  function renderInfo(info) {
    var scopes = info.oauth_scopes || {};
    $('info-auth').textContent = state.credentials.length
      ? state.credentials.map(function (c) { return c.id + ' (' + (AUTH_KIND_LABELS[c.kind] || c.kind) + ')'; }).join(', ')
      : state.authKinds.length
        ? state.authKinds.map(function (k) { return AUTH_KIND_LABELS[k.kind] || k.kind; }).join(', ')
        : 'none';
    table($('info-capabilities'), ['Capability', 'Kind', 'Description', 'OAuth scopes'],
      (info.capabilities || []).map(function (name) {
        var kind = groupOf(name);
        return [el('code', { text: name }), el('span', { className: 'badge ' + kind, text: kind }),
          describeCapability(name) || '—', scopes[name] || ''];
      }));
    table($('info-resource-types'), ['Type id', 'Label'], (info.resource_types || []).map(function (t) {
      return [el('code', { text: t.type_id }), t.type_label];
    }));
    table($('info-entitlement-types'), ['Type id', 'Label', 'Resource type', 'Min', 'Max'],
      (info.entitlement_types || []).map(function (t) {
        return [el('code', { text: t.type_id }), t.type_label, t.resource_type_id || '(the app)',
          String(t.min), t.max === null || t.max === undefined ? '—' : String(t.max)];
      }));
  }

  // ---- tabs and start-up ---------------------------------------------------------------------

  function selectView(viewId) {
    Array.prototype.forEach.call(document.querySelectorAll('.tab'), function (tab) {
      var selected = tab.getAttribute('data-view') === viewId;
      tab.setAttribute('aria-selected', selected ? 'true' : 'false');
      show($(tab.getAttribute('data-view')), selected);
    });
  }

  function loadInfo() {
    return request('GET', '/console/capabilities.json').then(function (facts) {
      if (facts.status !== 200 || !facts.json) { throw new Error('no capability facts (HTTP ' + facts.status + ')'); }
      state.protocol = facts.json;
      return request('GET', '/console/secret-keys.json');
    }).then(function (rule) {
      if (rule.status !== 200 || !rule.json) { throw new Error('no secret key rule (HTTP ' + rule.status + ')'); }
      secretRule = rule.json;
      return request('GET', '/info');
    }).then(function (answer) {
      if (answer.status === 401) {
        show($('token-gate'), true);
        if (state.token) {
          $('token-error').textContent = 'The server refused this token.';
          show($('token-error'), true);
        }
        state.token = null;
        return;
      }
      var info = answer.json && answer.json.response;
      if (answer.status !== 200 || !info) {
        $('load-error').textContent = 'Cannot read the connector\'s info: ' + describeFailure(answer);
        show($('load-error'), true);
        return;
      }
      show($('token-gate'), false);
      state.info = info;
      renderHeader(info);
      renderForm(info);
      renderRunner(info);
      renderInfo(info);
      show($('tabs'), true);
      selectView('form-view');
      document.body.setAttribute('data-ready', 'true');
    }, function (error) {
      $('load-error').textContent = 'Cannot reach the connector: ' + error;
      show($('load-error'), true);
    });
  }

  function takeTokenFromFragment() {
    var match = /(?:^#|&)token=([^&]*)/.exec(window.location.hash);
    if (match) {
      state.token = decodeURIComponent(match[1]);
      // Out of the address bar and the history at once.
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
    }
  }

  function start() {
    takeTokenFromFragment();
    Array.prototype.forEach.call(document.querySelectorAll('.tab'), function (tab) {
      tab.addEventListener('click', function () { selectView(tab.getAttribute('data-view')); });
    });
    $('token-form').addEventListener('submit', function (event) {
      event.preventDefault();
      state.token = $('token-input').value.trim() || null;
      $('token-input').value = '';
      loadInfo();
    });
    $('connection-form').addEventListener('submit', validate);
    $('oauth-consent-button').addEventListener('click', startConsent);
    $('oauth-client-credentials-button').addEventListener('click', clientCredentials);
    $('capability-select').addEventListener('change', capabilityChanged);
    $('reset-request-button').addEventListener('click', capabilityChanged);
    $('run-button').addEventListener('click', function () { run(false); });
    $('next-page-button').addEventListener('click', function () { run(true); });
    window.addEventListener('message', function (event) {
      if (event.origin === window.location.origin) { finishConsent(event.data); }
    });
    if (typeof BroadcastChannel === 'function') {
      new BroadcastChannel('connector-console-oauth').onmessage = function (event) { finishConsent(event.data); };
    }
    loadInfo();
  }

  start();
})();
