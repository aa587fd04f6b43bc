//! The LDAP connector's developer console in a headless Chromium: its form (a settings model
//! unlike the mock connector's: integers, a boolean, lists, a multi-line PEM field, defaults)
//! renders every setting with its description and default, and the form's messages for bad
//! values are the ones the connector gives. No directory is needed: settings are checked
//! before the connector connects.

use std::path::PathBuf;

use connector_testkit::browser::{Browser, Console};
use serde_json::{Value, json};

fn screenshots() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("console-screenshots")
}

async fn js(browser: &Browser, script: &str) -> Result<Value, String> {
    browser.eval(script, vec![]).await
}

/// Runs validate_credentials from the form; the envelope's error message.
async fn connector_message(browser: &Browser) -> Result<String, String> {
    js(
        browser,
        "document.getElementById('validate-result').removeAttribute('data-outcome'); return 1;",
    )
    .await?;
    browser
        .find("#validate-button")
        .await?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    browser
        .wait_for(
            "the validation's outcome",
            "return document.getElementById('validate-result').getAttribute('data-outcome');",
        )
        .await?;
    let message = js(
        browser,
        "const m = document.querySelector('#validate-result .error-message'); return m ? m.textContent : '';",
    )
    .await?;
    Ok(message.as_str().unwrap_or_default().to_owned())
}

async fn predicted(browser: &Browser) -> Result<String, String> {
    let message = js(
        browser,
        "return document.getElementById('settings-error').textContent;",
    )
    .await?;
    Ok(message.as_str().unwrap_or_default().to_owned())
}

async fn walk_through(browser: &Browser, console: &Console) -> Result<(), String> {
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

    // Every setting, with its description; required ones first.
    let info = ldap_connector::integration().info();
    let properties = info.request_settings_schema["properties"]
        .as_object()
        .ok_or("no settings properties")?;
    assert!(properties.len() > 10, "{properties:?}");
    for (name, property) in properties {
        let shown = js(
            browser,
            &format!(
                "const d = document.querySelector(\"[data-field='{name}'] .field-description\"); return d ? d.textContent : null;"
            ),
        )
        .await?;
        assert_eq!(
            shown, property["description"],
            "the description of setting {name}"
        );
    }
    let order = js(
        browser,
        "return [...document.querySelectorAll('#settings-fields .field')].map(f => f.dataset.field).slice(0, 2);",
    )
    .await?;
    assert_eq!(order, json!(["server_url", "base_dn"]), "required first");

    // Each kind of setting gets its control, with the schema's default.
    let controls = js(
        browser,
        "const c = n => { const e = document.getElementById('setting-' + n); return [e.tagName, e.value]; };
         return {start_tls: c('start_tls'), timeout_seconds: c('timeout_seconds'),
                 user_object_classes: c('user_object_classes'), ca_bundle: c('ca_bundle'),
                 uid_attribute: c('uid_attribute')};",
    )
    .await?;
    assert_eq!(
        controls,
        json!({
            "start_tls": ["SELECT", "false"],
            "timeout_seconds": ["INPUT", "30"],
            "user_object_classes": ["TEXTAREA", "top\nperson\norganizationalPerson\ninetOrgPerson"],
            "ca_bundle": ["TEXTAREA", ""],
            "uid_attribute": ["INPUT", "uid"],
        })
    );
    let credential = js(
        browser,
        "return [...document.querySelectorAll('#auth-fields input')].map(i => [i.id, i.type]);",
    )
    .await?;
    assert_eq!(
        credential,
        json!([
            ["auth-basic-username", "text"],
            ["auth-basic-password", "password"]
        ])
    );

    // The form says what the connector says, before anything is sent.
    assert_eq!(
        predicted(browser).await?,
        "Invalid settings passed on request - settings: missing field `server_url`"
    );
    browser
        .fill("#setting-server_url", "ldap://127.0.0.1:9")
        .await?;
    browser
        .fill("#setting-base_dn", "dc=example,dc=com")
        .await?;
    browser
        .fill("#auth-basic-username", "cn=admin,dc=example,dc=com")
        .await?;
    browser.fill("#auth-basic-password", "secret").await?;
    assert_eq!(predicted(browser).await?, "");
    for (value, expected) in [
        ("abc", "invalid type: string, expected u32"),
        ("-5", "invalid value: integer, expected u32"),
        ("1.5", "invalid type: number, expected u32"),
    ] {
        browser.fill("#setting-timeout_seconds", value).await?;
        let form = predicted(browser).await?;
        assert_eq!(
            form,
            format!("Invalid settings passed on request - settings.timeout_seconds: {expected}")
        );
        assert_eq!(connector_message(browser).await?, form, "for {value:?}");
    }
    browser.screenshot("ldap-form").await?;
    browser.fill("#setting-timeout_seconds", "30").await?;
    assert_eq!(predicted(browser).await?, "");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ldap_console_renders_its_own_form() {
    let console = Console::start(assert_cmd::cargo::cargo_bin!("ldap-connector"))
        .unwrap_or_else(|e| panic!("the console does not start: {e}"));
    let browser = Browser::start(screenshots())
        .await
        .unwrap_or_else(|e| panic!("the browser does not start: {e}"));
    let outcome = walk_through(&browser, &console).await;
    let _ = browser.close().await;
    outcome.unwrap_or_else(|e| panic!("{e}"));
}
