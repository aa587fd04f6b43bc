//! The developer console in a real headless Chromium, against the mock app: the form renders
//! every setting with its description, the form's own settings message is the connector's, a
//! missing or wrong password shows the `unauthorized` envelope, the right one validates, the runner
//! pages through three pages of accounts, the OAuth consent completes against the mock app's
//! provider and a listing works with its token, and no request leaves for another machine.
//! A screenshot of each step goes to `<target>/console-screenshots/`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use connector_testkit::browser::{Browser, Console, hosts};
use serde_json::{Value, json};

fn screenshots() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("console-screenshots")
}

async fn click(browser: &Browser, css: &str) -> Result<(), String> {
    browser
        .find(css)
        .await?
        .click()
        .await
        .map_err(|e| format!("click {css}: {e}"))
}

async fn select(browser: &Browser, css: &str, value: &str) -> Result<(), String> {
    browser
        .find(css)
        .await?
        .select_by_value(value)
        .await
        .map_err(|e| format!("select {value} in {css}: {e}"))
}

/// Runs the validate button and waits for its outcome; returns `(outcome, error code)`.
async fn validate(browser: &Browser) -> Result<(String, String), String> {
    browser
        .eval(
            "document.getElementById('validate-result').removeAttribute('data-outcome'); return 1;",
            vec![],
        )
        .await?;
    click(browser, "#validate-button").await?;
    let outcome = browser
        .wait_for(
            "the validation's outcome",
            "return document.getElementById('validate-result').getAttribute('data-outcome');",
        )
        .await?;
    let code = browser
        .eval(
            "return document.getElementById('validate-result').getAttribute('data-error-code') || '';",
            vec![],
        )
        .await?;
    Ok((
        outcome.as_str().unwrap_or_default().to_owned(),
        code.as_str().unwrap_or_default().to_owned(),
    ))
}

/// Clicks a runner button and waits for the new status; returns (outcome, page, ids in the
/// table).
async fn run(browser: &Browser, button: &str) -> Result<(String, String, Vec<String>), String> {
    browser
        .eval(
            "const s = document.getElementById('runner-status'); s.removeAttribute('data-outcome'); s.removeAttribute('data-page'); return 1;",
            vec![],
        )
        .await?;
    click(browser, button).await?;
    let outcome = browser
        .wait_for(
            "the runner's outcome",
            "const o = document.getElementById('runner-status').getAttribute('data-outcome'); return o === 'running' ? null : o;",
        )
        .await?;
    let page = browser
        .eval(
            "return document.getElementById('runner-status').getAttribute('data-page') || '';",
            vec![],
        )
        .await?;
    let ids = browser
        .eval(
            "const table = document.getElementById('runner-table');
             const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent);
             const at = heads.indexOf('integration_specific_id');
             if (at < 0) return [];
             return [...table.querySelectorAll('tbody tr')].map(tr => tr.children[at].textContent);",
            vec![],
        )
        .await?;
    let ids = ids
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    Ok((
        outcome.as_str().unwrap_or_default().to_owned(),
        page.as_str().unwrap_or_default().to_owned(),
        ids,
    ))
}

async fn text(browser: &Browser, css: &str) -> Result<String, String> {
    browser
        .find(css)
        .await?
        .text()
        .await
        .map_err(|e| format!("text of {css}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_in_a_browser_against_the_mock_app() {
    let started = std::time::Instant::now();
    let app = mock_app::MockApp::start(mock_app::Config::with_users(15))
        .await
        .expect("the mock app starts");
    let console = Console::start(assert_cmd::cargo::cargo_bin!("mock-connector"))
        .unwrap_or_else(|e| panic!("the console does not start: {e}"));
    let browser = Browser::start(screenshots())
        .await
        .unwrap_or_else(|e| panic!("the browser does not start: {e}"));
    let outcome = walk_through(&browser, &console, &app.url()).await;
    let seen = browser.urls().await;
    let logged = browser.close().await;
    outcome.unwrap_or_else(|e| panic!("{e}"));

    // No page contacted anything but this machine, in any window: the console, its assets,
    // the mock app's provider in the consent popup, the callback page.
    // Chromium's own service requests (updates, sign-in, autofill) come from no page, and the
    // first navigation from the WebDriver client: every request a page caused is checked.
    let mut urls = seen.unwrap_or_else(|e| panic!("{e}"));
    urls.extend(
        logged
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .filter(|request| request.initiator.is_some())
            .map(|request| request.url),
    );
    let hosts = hosts(&urls);
    let loopback: BTreeSet<String> = ["127.0.0.1", "localhost", "[::1]"]
        .map(str::to_owned)
        .into();
    assert!(
        hosts.is_subset(&loopback),
        "the console contacted {hosts:?}"
    );
    assert!(
        hosts.contains("127.0.0.1"),
        "no request seen at all: {urls:?}"
    );
    let origin = console.origin();
    for path in [
        "/console/console.js",
        "/console/console.css",
        "/info",
        "/list_accounts",
    ] {
        assert!(
            urls.contains(&format!("{origin}{path}")),
            "the network log misses {origin}{path}: {urls:?}"
        );
    }
    for prefix in [
        format!("{}/oauth/authorize?", app.url()),
        format!("{origin}/console/oauth/callback?code="),
        format!("{origin}/console/callback.js"),
    ] {
        assert!(
            urls.iter().any(|url| url.starts_with(&prefix)),
            "the network log misses {prefix}…: {urls:?}"
        );
    }
    let elapsed = started.elapsed();
    eprintln!("console browser test: {elapsed:?}");
    assert!(elapsed.as_secs() < 60, "the browser test took {elapsed:?}");
}

async fn walk_through(browser: &Browser, console: &Console, app: &str) -> Result<(), String> {
    let client = browser.client();
    client
        .goto(console.url())
        .await
        .map_err(|e| format!("open {}: {e}", console.origin()))?;
    browser
        .wait_for(
            "the console to load /info",
            "return document.body.getAttribute('data-ready');",
        )
        .await?;
    let address = browser.eval("return location.href;", vec![]).await?;
    assert_eq!(
        address,
        json!(format!("{}/", console.origin())),
        "the token must leave the address bar"
    );

    // The header, from info.
    assert_eq!(text(browser, "#app-name").await?, "Mock Connector");
    assert!(
        text(browser, "#app-description")
            .await?
            .contains("reference connector")
    );
    assert_eq!(text(browser, "#app-categories li").await?, "developers");

    // Every setting, with its description, a secret one masked.
    let info = mock_connector::integration().info();
    let properties = info.request_settings_schema["properties"]
        .as_object()
        .expect("settings properties");
    assert!(properties.len() >= 2, "{properties:?}");
    for (name, property) in properties {
        let description = property["description"].as_str().unwrap_or_default();
        let shown = text(
            browser,
            &format!("[data-field='{name}'] .field-description"),
        )
        .await?;
        assert_eq!(shown, description, "the description of setting {name}");
        browser.find(&format!("#setting-{name}")).await?;
    }
    let api_key_type = browser
        .find("#setting-api_key")
        .await?
        .attr("type")
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        api_key_type.as_deref(),
        Some("password"),
        "secret settings are masked"
    );

    // The form's settings message is the connector's own.
    browser.fill("#setting-host", "").await?;
    let predicted = text(browser, "#settings-error").await?;
    assert_eq!(
        predicted,
        "Invalid settings passed on request - settings: missing field `host`"
    );
    browser.fill("#auth-basic-username", "foo").await?;
    browser.fill("#auth-basic-password", "bar").await?;
    let (outcome, code) = validate(browser).await?;
    assert_eq!((outcome.as_str(), code.as_str()), ("error", "bad_request"));
    let message = text(browser, "#validate-result .error-message").await?;
    assert_eq!(message, predicted, "the form and the connector disagree");

    // No password: the connector's `unauthorized` envelope (the mock connector checks a basic
    // credential locally, as the reference does; the app itself refuses a wrong one below).
    browser.fill("#setting-host", app).await?;
    assert_eq!(text(browser, "#settings-error").await?, "");
    browser.fill("#auth-basic-password", "").await?;
    let (outcome, code) = validate(browser).await?;
    assert_eq!((outcome.as_str(), code.as_str()), ("error", "unauthorized"));
    browser.screenshot("1-form-unauthorized").await?;

    // The right one validates.
    browser.fill("#auth-basic-password", "bar").await?;
    let (outcome, code) = validate(browser).await?;
    assert_eq!((outcome.as_str(), code.as_str()), ("valid", ""));
    assert_eq!(
        text(browser, "#validate-tenant").await?,
        "mock-connector-tenant-id"
    );
    browser.screenshot("2-form-valid").await?;

    // A wrong password: the app answers 401, the runner shows the `unauthorized` envelope
    // with its code and message.
    browser.fill("#auth-basic-password", "wrong").await?;
    click(browser, ".tab[data-view='runner-view']").await?;
    select(browser, "#capability-select", "list_accounts").await?;
    let (outcome, _, _) = run(browser, "#run-button").await?;
    assert_eq!(outcome, "error");
    let code = browser
        .find("#runner-error")
        .await?
        .attr("data-error-code")
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(code.as_deref(), Some("unauthorized"));
    assert!(
        !text(browser, "#runner-error .error-message")
            .await?
            .is_empty()
    );
    browser.screenshot("3-runner-unauthorized").await?;
    click(browser, ".tab[data-view='form-view']").await?;
    browser.fill("#auth-basic-password", "bar").await?;

    // The runner: list_accounts through three pages of five.
    click(browser, ".tab[data-view='runner-view']").await?;
    select(browser, "#capability-select", "list_accounts").await?;
    browser.fill("#page-size", "5").await?;
    let mut seen = Vec::new();
    let (outcome, page, ids) = run(browser, "#run-button").await?;
    assert_eq!(
        (outcome.as_str(), page.as_str(), ids.len()),
        ("success", "1", 5)
    );
    seen.extend(ids);
    for expected in ["2", "3"] {
        let (outcome, page, ids) = run(browser, "#next-page-button").await?;
        assert_eq!(
            (outcome.as_str(), page.as_str(), ids.len()),
            ("success", expected, 5)
        );
        seen.extend(ids);
        if expected == "2" {
            browser.screenshot("4-runner-page-2").await?;
        }
    }
    let sent = browser
        .eval(
            "return document.getElementById('runner-request').textContent;",
            vec![],
        )
        .await?;
    let sent = sent.as_str().unwrap_or_default();
    assert!(sent.starts_with("POST /list_accounts"), "{sent}");
    assert!(
        sent.contains("\"token\""),
        "the next page's token is sent: {sent}"
    );
    assert!(!sent.contains("\"bar\""), "the password is masked: {sent}");
    let distinct: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(
        distinct.len(),
        15,
        "three pages of distinct accounts: {seen:?}"
    );
    let next_disabled = browser
        .eval(
            "return document.getElementById('next-page-button').disabled;",
            vec![],
        )
        .await?;
    assert_eq!(next_disabled, json!(true), "no page after the last");
    let envelope = text(browser, "#runner-envelope").await?;
    assert!(
        envelope.contains("\"page\"") && envelope.contains("integration_specific_id"),
        "{envelope}"
    );

    // A write needs the explicit confirmation: nothing runs without it.
    select(browser, "#capability-select", "delete_account").await?;
    click(browser, "#run-button").await?;
    let status = browser
        .eval(
            "return document.getElementById('runner-status').getAttribute('data-outcome');",
            vec![],
        )
        .await?;
    assert_eq!(status, json!("needs-confirmation"));
    select(browser, "#capability-select", "deactivate_account").await?;
    browser
        .fill(
            "#request-payload",
            &json!({"account_id": mock_app::user_id(1)}).to_string(),
        )
        .await?;
    click(browser, "#write-confirm").await?;
    let (outcome, _, _) = run(browser, "#run-button").await?;
    assert_eq!(outcome, "success", "a confirmed write runs");
    let envelope = text(browser, "#runner-envelope").await?;
    assert!(envelope.contains("\"deactivated\": true"), "{envelope}");

    // OAuth consent against the mock app's provider; the token then lists accounts.
    click(browser, ".tab[data-view='form-view']").await?;
    select(browser, "#auth-kind", "oauth").await?;
    browser.find("#oauth-consent:not([hidden])").await?;
    browser.fill("#oauth-client-id", "mock-client").await?;
    browser
        .fill("#oauth-client-secret", "mock-client-secret")
        .await?;
    click(browser, "#oauth-consent-button").await?;
    let outcome = browser
        .wait_for(
            "the OAuth consent to finish",
            "const o = document.getElementById('oauth-status').getAttribute('data-outcome'); return o === 'pending' ? null : o;",
        )
        .await?;
    let status = text(browser, "#oauth-status").await?;
    assert_eq!(outcome, json!("done"), "{status}");
    let token_length = browser
        .eval(
            "const i = document.getElementById('auth-oauth-access_token'); return i.type === 'password' ? i.value.length : -1;",
            vec![],
        )
        .await?;
    assert!(
        token_length.as_i64().unwrap_or_default() > 0,
        "the access token is in the (masked) form: {token_length}"
    );
    let (outcome, _) = validate(browser).await?;
    assert_eq!(outcome, "valid", "the OAuth token validates");
    browser.screenshot("5-oauth-consent-done").await?;
    click(browser, ".tab[data-view='runner-view']").await?;
    select(browser, "#capability-select", "list_accounts").await?;
    let (outcome, page, ids) = run(browser, "#run-button").await?;
    assert_eq!(
        (outcome.as_str(), page.as_str(), ids.len()),
        ("success", "1", 5)
    );
    browser.screenshot("6-runner-oauth").await?;

    // The client-credentials grant fills the token too.
    click(browser, ".tab[data-view='form-view']").await?;
    browser.fill("#auth-oauth-access_token", "").await?;
    browser
        .eval(
            "document.getElementById('oauth-status').removeAttribute('data-outcome'); return 1;",
            vec![],
        )
        .await?;
    click(browser, "#oauth-client-credentials-button").await?;
    let outcome = browser
        .wait_for(
            "the client-credentials grant",
            "const o = document.getElementById('oauth-status').getAttribute('data-outcome'); return o === 'pending' ? null : o;",
        )
        .await?;
    assert_eq!(
        outcome,
        json!("done"),
        "{}",
        text(browser, "#oauth-status").await?
    );
    let token_length = browser
        .eval(
            "return document.getElementById('auth-oauth-access_token').value.length;",
            vec![],
        )
        .await?;
    assert!(
        token_length.as_i64().unwrap_or_default() > 0,
        "no token filled in"
    );
    let (outcome, _) = validate(browser).await?;
    assert_eq!(outcome, "valid", "the client-credentials token validates");
    let stored = browser
        .eval(
            "return localStorage.length + sessionStorage.length + document.cookie.length;",
            vec![],
        )
        .await?;
    assert_eq!(stored, json!(0), "the console stores nothing");

    // The info view: capabilities with descriptions and scopes, resource and entitlement types.
    click(browser, ".tab[data-view='info-view']").await?;
    let rows = browser
        .eval(
            "return [...document.querySelectorAll('#info-capabilities tbody tr')].map(tr => [...tr.children].map(td => td.textContent));",
            vec![],
        )
        .await?;
    let rows = rows.as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 17, "{rows:?}");
    let list_accounts = rows
        .iter()
        .find(|row| row[0] == "list_accounts")
        .ok_or("no list_accounts row")?;
    assert_eq!(list_accounts[1], "read");
    assert_eq!(
        list_accounts[2],
        connector_sdk::wire::CapabilityName::ListAccounts.summary(),
        "without a description of its own, the protocol's summary"
    );
    let delete = rows
        .iter()
        .find(|row| row[0] == "delete_account")
        .ok_or("no delete_account row")?;
    assert_eq!(delete[1], "write");
    assert_eq!(list_accounts[3], "users:read");
    assert!(
        text(browser, "#info-entitlement-types")
            .await?
            .contains("Group member")
    );
    browser.screenshot("7-info").await?;
    Ok(())
}

#[test]
fn the_console_subcommand_prints_a_loopback_url_and_serves_the_page_there() {
    let console = Console::start(assert_cmd::cargo::cargo_bin!("mock-connector"))
        .unwrap_or_else(|e| panic!("the console does not start: {e}"));
    let (origin, token) = console
        .url()
        .split_once("/#token=")
        .unwrap_or_else(|| panic!("no token fragment in {}", console.url()));
    assert!(
        origin.starts_with("http://127.0.0.1:"),
        "not a loopback URL: {origin}"
    );
    assert_eq!(token.len(), 64, "a 256-bit token");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = crate::support::http().build().unwrap();
        let page = client.get(format!("{origin}/")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert_eq!(
            page.headers()["content-security-policy"],
            connector_sdk::server::console::CSP
        );
        let info = client.get(format!("{origin}/info")).send().await.unwrap();
        assert_eq!(info.status(), 401, "calls need the console's token");
        let info = client
            .get(format!("{origin}/info"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(info.status(), 200);
    });
    let help = crate::support::run(&["--help"]);
    assert!(
        help.stdout.contains("console") && help.stdout.contains("developer console"),
        "{}",
        help.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_of_serve_with_a_token_asks_for_it() {
    let server = Console::serve(assert_cmd::cargo::cargo_bin!("mock-connector"), "t0ken-42")
        .unwrap_or_else(|e| panic!("serve does not start: {e}"));
    let browser = Browser::start(screenshots())
        .await
        .unwrap_or_else(|e| panic!("the browser does not start: {e}"));
    let outcome = async {
        browser
            .client()
            .goto(server.url())
            .await
            .map_err(|e| e.to_string())?;
        browser.find("#token-gate:not([hidden])").await?;
        browser.fill("#token-input", "wrong").await?;
        click(&browser, "#token-form button").await?;
        browser
            .wait_for(
                "the refusal",
                "return !document.getElementById('token-error').hidden;",
            )
            .await?;
        assert_eq!(
            text(&browser, "#token-error").await?,
            "The server refused this token."
        );
        browser.screenshot("8-serve-token-gate").await?;
        browser.fill("#token-input", "t0ken-42").await?;
        click(&browser, "#token-form button").await?;
        browser
            .wait_for(
                "the console to load /info with the token",
                "return document.body.getAttribute('data-ready');",
            )
            .await?;
        assert_eq!(text(&browser, "#app-name").await?, "Mock Connector");
        let kept = browser
            .eval(
                "return document.getElementById('token-input').value + localStorage.length + sessionStorage.length;",
                vec![],
            )
            .await?;
        assert_eq!(kept, json!("00"), "the token is in no input and no storage");
        Ok::<(), String>(())
    }
    .await;
    let _ = browser.close().await;
    outcome.unwrap_or_else(|e| panic!("{e}"));
}

/// The status line of credential `id`'s check, once it holds a verdict (not "Checking…").
fn verdict_of(id: &str) -> String {
    format!(
        "var s = document.getElementById('cred-{id}-status'); \
         return s && s.textContent && !s.textContent.startsWith('Checking') ? s.textContent : null;"
    )
}

async fn check_credential(browser: &Browser, id: &str) -> Result<String, String> {
    browser
        .eval(
            "document.getElementById(arguments[0]).textContent = ''; return true;",
            vec![json!(format!("cred-{id}-status"))],
        )
        .await?;
    browser
        .find(&format!("#cred-{id}-check"))
        .await?
        .click()
        .await
        .map_err(|e| format!("click the check of {id}: {e}"))?;
    let verdict = browser
        .wait_for(&format!("the verdict on {id}"), &verdict_of(id))
        .await?;
    Ok(verdict.as_str().unwrap_or_default().to_owned())
}

/// In protocol 4 the mock connector is multi-credential: the console shows one fieldset per
/// credential (its kind's fields, secrets masked) and checks each with the SDK's
/// `validate_credential_config`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_fills_and_checks_each_credential_of_a_multi_credential_connector() {
    let app = mock_app::MockApp::start(mock_app::Config::with_users(3))
        .await
        .expect("the mock app starts");
    let console = Console::start_in(
        assert_cmd::cargo::cargo_bin!("mock-connector"),
        connector_sdk::Protocol::V4,
    )
    .unwrap_or_else(|e| panic!("the console does not start: {e}"));
    let browser = Browser::start(screenshots())
        .await
        .unwrap_or_else(|e| panic!("the browser does not start: {e}"));
    let outcome = async {
        browser
            .client()
            .goto(console.url())
            .await
            .map_err(|e| format!("open {}: {e}", console.origin()))?;
        browser
            .wait_for(
                "the console to load /info",
                "return document.body.getAttribute('data-ready');",
            )
            .await?;
        browser.fill("#setting-host", &app.url()).await?;
        for id in ["legacy", "oauth"] {
            browser.find(&format!("#cred-{id}-fieldset")).await?;
        }
        for secret in ["#cred-legacy-password", "#cred-oauth-access_token"] {
            let kind = browser
                .find(secret)
                .await?
                .attr("type")
                .await
                .map_err(|e| e.to_string())?;
            assert_eq!(kind.as_deref(), Some("password"), "{secret} is masked");
        }

        browser.fill("#cred-legacy-username", "foo ").await?;
        browser.fill("#cred-legacy-password", "bar").await?;
        let verdict = check_credential(&browser, "legacy").await?;
        assert_eq!(
            verdict,
            "Not valid: Credential has extra whitespace, please remove it before submitting it again"
        );
        browser.fill("#cred-legacy-username", "foo").await?;
        assert_eq!(check_credential(&browser, "legacy").await?, "Valid.");

        browser.fill("#cred-oauth-access_token", "at-1").await?;
        assert_eq!(check_credential(&browser, "oauth").await?, "Valid.");
        Ok::<(), String>(())
    }
    .await;
    let _ = browser.close().await;
    outcome.unwrap_or_else(|e| panic!("{e}"));
}
