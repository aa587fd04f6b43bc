//! Multi-credential connectors (protocol 4): credentials declared by id, 4.x's rules for a
//! request's `credentials` list and their exact messages, reading a credential by id, what
//! `info` and `app_info` publish, OAuth providers per credential routed by `credential_id`,
//! and `validate_credential_config` over the declared ids.

use connector_sdk::oauth::OAuthSettings;
use connector_sdk::prelude::*;
use connector_sdk::wire::{self, BasicCredential, CapabilityName, OAuthCredential};
use connector_sdk::{AuthKind, ConnectorError, Context, Credential, EmptySettings, Integration};
use connector_sdk::{Envelope, Protocol};
use rstest::rstest;
use serde_json::{Value, json};

/// Answers `validate_credentials` with the user of its `legacy` credential, or the token of
/// its `sso` one when the request has no `legacy`.
#[derive(Debug)]
struct Multi;

impl Connector for Multi {
    type Settings = EmptySettings;
}

impl ValidateCredentials for Multi {
    async fn validate_credentials(
        &self,
        ctx: &Context<EmptySettings>,
        _request: wire::ValidateCredentials,
    ) -> Result<wire::ValidatedCredentials, ConnectorError> {
        let listed = |id: &str| {
            ctx.credentials()
                .is_some_and(|list| list.iter().any(|c| c.id.as_deref() == Some(id)))
        };
        let tenant = if listed("sso") && !listed("legacy") {
            let sso = ctx.credential::<OAuthCredential>("sso")?;
            format!("sso:{}", sso.access_token.expose())
        } else {
            format!(
                "legacy:{}",
                ctx.credential::<BasicCredential>("legacy")?.username
            )
        };
        Ok(wire::ValidatedCredentials {
            valid: true,
            unique_tenant_id: tenant,
        })
    }
}

fn provider(host: &str) -> OAuthSettings<EmptySettings> {
    OAuthSettings::code_flow(
        format!("https://{host}/authorize").as_str(),
        format!("https://{host}/token").as_str(),
    )
    .scope(CapabilityName::ValidateCredentials, "users:read")
}

/// `legacy` (basic, required), `sso` (OAuth with its own provider, optional), `api` (token,
/// optional), `partner` (OAuth with another provider, optional).
fn multi() -> Integration<Multi> {
    Integration::builder(Multi, "multi", "1.0.0")
        .protocol(Protocol::V4)
        .credential(Credential::basic("legacy").description("Basic **legacy** login"))
        .oauth_credential(
            Credential::oauth("sso")
                .description("Single sign-on")
                .optional(),
            provider("idp.example"),
        )
        .credential(Credential::token("api").optional())
        .oauth_credential(
            Credential::oauth("partner").optional(),
            provider("partner.example"),
        )
        .validate_credentials()
        .build()
}

/// `legacy` and `api` must come together.
fn pair() -> Integration<Multi> {
    Integration::builder(Multi, "pair", "1.0.0")
        .protocol(Protocol::V4)
        .credential(Credential::basic("legacy"))
        .credential(Credential::token("api"))
        .credential(Credential::oauth("sso").optional())
        .allowed_credentials([vec!["legacy", "api"], vec!["sso"]])
        .validate_credentials()
        .build()
}

fn run(
    integration: &Integration<Multi>,
    protocol: Protocol,
    capability: &str,
    request: &Value,
) -> Envelope {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(integration.dispatch_as(protocol, capability, &request.to_string()))
}

/// The `response` of protocol 4's `info`.
fn info4(integration: &Integration<Multi>) -> Value {
    let text = integration.info_json_as(Protocol::V4);
    serde_json::from_str::<Value>(&text).unwrap()["response"].clone()
}

fn validate(integration: &Integration<Multi>, envelope: Value) -> Value {
    run(integration, Protocol::V4, "validate_credentials", &envelope).to_value()
}

fn basic() -> Value {
    json!({"username": "ann", "password": "pw"})
}

/// The answer's tenant, or the error's code and message.
fn outcome(envelope: &Value) -> Result<String, (String, String)> {
    if envelope["is_error"] == true {
        Err((
            envelope["error"]["error_code"].as_str().unwrap().to_owned(),
            envelope["error"]["message"].as_str().unwrap().to_owned(),
        ))
    } else {
        Ok(envelope["response"]["unique_tenant_id"]
            .as_str()
            .unwrap()
            .to_owned())
    }
}

fn refused(message: &str) -> Result<String, (String, String)> {
    Err(("bad_request".to_owned(), message.to_owned()))
}

#[rstest]
#[case::both_auth_and_credentials(
    json!({"auth": {"basic": basic()}, "credentials": [{"id": "legacy", "basic": basic()}], "request": {}}),
    refused("Cannot pass credentials and auth in the same request, if you've meant to make this connector multi-auth compatible, please remove the auth field.")
)]
#[case::both_with_an_empty_list(
    json!({"auth": {"basic": basic()}, "credentials": [], "request": {}}),
    refused("Cannot pass credentials and auth in the same request, if you've meant to make this connector multi-auth compatible, please remove the auth field.")
)]
#[case::neither(json!({"request": {}}), refused("Missing auth/credentials in request"))]
#[case::null_auth_beside_credentials(
    json!({"auth": null, "credentials": [{"id": "legacy", "basic": basic()}], "request": {}}),
    Ok("legacy:ann".to_owned())
)]
#[case::empty_list(json!({"credentials": [], "request": {}}), refused("Missing credentials in request"))]
#[case::unknown_id(
    json!({"credentials": [{"id": "nope", "basic": basic()}], "request": {}}),
    refused("Credential with id 'nope' not expected")
)]
#[case::a_kind_name_is_not_an_id(
    json!({"credentials": [{"id": "basic", "basic": basic()}], "request": {}}),
    refused("Credential with id 'basic' not expected")
)]
#[case::missing_id_at_index(
    json!({"credentials": [{"id": "legacy", "basic": basic()}, {"basic": basic()}], "request": {}}),
    refused("Missing ID in credential at index 1")
)]
#[case::missing_id_before_an_unknown_one(
    json!({"credentials": [{"basic": basic()}, {"id": "nope"}], "request": {}}),
    refused("Missing ID in credential at index 0")
)]
#[case::unknown_id_before_a_missing_one(
    json!({"credentials": [{"id": "nope"}, {"basic": basic()}], "request": {}}),
    refused("Credential with id 'nope' not expected")
)]
#[case::wrong_kind(
    json!({"credentials": [{"id": "legacy", "token": {"token": "t"}}], "request": {}}),
    refused("Missing 'basic' credential in request")
)]
#[case::id_without_payload(
    json!({"credentials": [{"id": "sso"}], "request": {}}),
    refused("Missing 'basic' credential in request")
)]
#[case::duplicate_ids_complete_replaces_incomplete(
    json!({"credentials": [{"id": "legacy"}, {"id": "legacy", "basic": basic()}], "request": {}}),
    Ok("legacy:ann".to_owned())
)]
#[case::duplicate_ids_both_incomplete(
    json!({"credentials": [{"id": "legacy"}, {"id": "legacy"}], "request": {}}),
    refused("Missing 'basic' credential in request")
)]
#[case::an_optional_one_alone(
    json!({"credentials": [{"id": "sso", "oauth": {"access_token": "at"}}], "request": {}}),
    Ok("sso:at".to_owned())
)]
#[case::extra_credentials_beside_a_satisfied_combination(
    json!({"credentials": [{"id": "legacy", "basic": basic()}, {"id": "api", "token": {"token": "t"}}], "request": {}}),
    Ok("legacy:ann".to_owned())
)]
fn credentials_follow_4x_rules(
    #[case] envelope: Value,
    #[case] expected: Result<String, (String, String)>,
) {
    assert_eq!(outcome(&validate(&multi(), envelope)), expected);
}

#[rstest]
#[case::one_of_a_pair(
    json!({"credentials": [{"id": "legacy", "basic": basic()}], "request": {}}),
    refused("Missing 'token' credential in request")
)]
#[case::ids_only_the_combination_with_fewest_missing_wins(
    json!({"credentials": [{"id": "legacy"}, {"id": "api"}], "request": {}}),
    refused("Missing 'oauth' credential in request")
)]
#[case::the_whole_pair(
    json!({"credentials": [{"id": "legacy", "basic": basic()}, {"id": "api", "token": {"token": "t"}}], "request": {}}),
    Ok("legacy:ann".to_owned())
)]
#[case::the_other_combination(
    json!({"credentials": [{"id": "sso", "oauth": {"access_token": "at"}}], "request": {}}),
    Ok("sso:at".to_owned())
)]
fn allowed_credentials_decide_the_combinations(
    #[case] envelope: Value,
    #[case] expected: Result<String, (String, String)>,
) {
    assert_eq!(outcome(&validate(&pair(), envelope)), expected);
}

#[test]
fn a_combination_names_every_missing_kind_in_its_order() {
    let only_pair = Integration::builder(Multi, "pair", "1.0.0")
        .credential(Credential::basic("legacy"))
        .credential(Credential::token("api"))
        .allowed_credentials([["legacy", "api"]])
        .validate_credentials()
        .build();
    let envelope = json!({"credentials": [{"id": "legacy"}, {"id": "api"}], "request": {}});
    assert_eq!(
        outcome(&run(&only_pair, Protocol::V4, "validate_credentials", &envelope).to_value()),
        refused("Missing 'basic, token' credential in request")
    );
}

#[test]
fn reading_a_credential_by_id_fails_with_4x_codes_and_messages() {
    // A legacy `auth` request has no credentials list.
    let from_auth = validate(&multi(), json!({"auth": {"basic": basic()}, "request": {}}));
    assert_eq!(
        outcome(&from_auth),
        Err((
            "invalid_value".to_owned(),
            "Credential 'legacy' not provided in credentials.".to_owned()
        ))
    );
    assert_eq!(
        from_auth["error"]["error_metadata"]["hint"],
        "Review the integration settings and correct the indicated field."
    );
    assert_eq!(from_auth["error"]["raised_by"], "InvalidConfigurationError");
    // An entry of another kind beside a satisfied combination.
    let wrong = validate(
        &multi(),
        json!({"credentials": [{"id": "legacy", "token": {"token": "t"}}, {"id": "api", "token": {"token": "t"}}], "request": {}}),
    );
    assert_eq!(
        outcome(&wrong),
        Err((
            "invalid_value".to_owned(),
            "Credential 'legacy' found but is not of type BasicCredential.".to_owned()
        ))
    );
    // The list does not name it.
    let absent = validate(
        &multi(),
        json!({"credentials": [{"id": "api", "token": {"token": "t"}}], "request": {}}),
    );
    assert_eq!(
        outcome(&absent),
        Err((
            "integration_missing_parameter".to_owned(),
            "Credential 'legacy' not provided in credentials.".to_owned()
        ))
    );
}

#[test]
fn info_publishes_each_credential_as_4x_does() {
    let info = info4(&multi());
    assert_eq!(info["authentication_schema"], json!({}));
    assert_eq!(info["oauth_scopes"], Value::Null);
    let credentials = info["credentials_schema"].as_array().unwrap();
    let ids: Vec<&str> = credentials
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["legacy", "sso", "api", "partner"]);
    let legacy = &credentials[0];
    assert_eq!(legacy["description"], "Basic **legacy** login");
    assert_eq!(legacy["x-credential-type"], "basic");
    assert_eq!(legacy["x-optional"], false);
    assert_eq!(legacy["field_order"], json!(["username", "password"]));
    assert_eq!(legacy["properties"]["password"]["x-secret"], true);
    assert_eq!(legacy["required"], json!(["username", "password"]));
    assert_eq!(credentials[1]["x-credential-type"], "oauth");
    assert_eq!(credentials[1]["x-optional"], true);
    assert_eq!(credentials[2]["x-credential-type"], "token");
    assert!(legacy.get("oauth_settings").is_none());
    assert!(
        info["capabilities"]
            .as_array()
            .unwrap()
            .contains(&json!("validate_credential_config"))
    );
    let authorize = &info["capability_schema"]["get_authorization_url"]["argument"];
    assert_eq!(
        authorize["properties"]["credential_id"]["title"],
        "Credential Id"
    );

    let schema = multi().app_schema();
    let meta = &schema["info"];
    assert_eq!(meta["x-multi-credential"], true);
    assert_eq!(
        meta["x-allowed-credentials"],
        json!([["legacy"], ["sso"], ["api"], ["partner"]])
    );
    let oauth = &meta["x-oauth-settings"];
    assert_eq!(oauth["sso"]["oauth_type"], "CODE_FLOW");
    assert_eq!(
        oauth["sso"]["authorization_url"],
        "https://idp.example/authorize"
    );
    assert_eq!(
        oauth["partner"]["token_url"],
        "https://partner.example/token"
    );
    assert_eq!(
        oauth["sso"]["scopes"],
        json!({"users:read": "Required for validate_credentials"})
    );
    let items = schema["components"]["schemas"]["Credentials"]["items"]["allOf"]
        .as_array()
        .unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[0]["properties"]["id"]["enum"], json!(["legacy"]));
    assert_eq!(items[0]["required"], json!(["id", "basic"]));
    let basic = &items[0]["properties"]["basic"];
    assert_eq!(basic["x-credential-type"], "basic");
    assert_eq!(basic["x-field_order"], json!(["username", "password"]));
    assert_eq!(basic["x-optional"], false);
    assert_eq!(
        items[1]["properties"]["oauth"]["x-credential-name"],
        "OAuth 2.0"
    );
    assert_eq!(
        pair().app_schema()["info"]["x-allowed-credentials"],
        json!([["legacy", "api"], ["sso"]])
    );
}

#[test]
fn a_single_credential_connector_keeps_its_authentication_schema() {
    let single = Integration::builder(Multi, "single", "1.0.0")
        .auth(AuthKind::Basic)
        .validate_credentials()
        .build();
    assert!(!single.is_multi_credential());
    let info = info4(&single);
    assert_eq!(info["credentials_schema"], json!([]));
    assert_eq!(info["authentication_schema"]["x-credential-type"], "basic");
    assert!(info["authentication_schema"].get("x-optional").is_none());
    let meta = &single.app_schema()["info"];
    assert_eq!(meta["x-multi-credential"], false);
    assert_eq!(meta["x-allowed-credentials"], json!([]));
    // `auth`, and a credentials list naming the kind, both pass.
    let by_auth = run(
        &single,
        Protocol::V4,
        "validate_credentials",
        &json!({"auth": {"basic": basic()}, "request": {}}),
    );
    // The credential stage passed; reading by id needs a credentials list.
    assert_eq!(
        outcome(&by_auth.to_value()),
        Err((
            "invalid_value".to_owned(),
            "Credential 'legacy' not provided in credentials.".to_owned()
        ))
    );
    let by_kind = run(
        &single,
        Protocol::V4,
        "validate_credentials",
        &json!({"credentials": [{"id": "basic", "token": {"token": "t"}}], "request": {}}),
    );
    assert!(
        by_kind
            .to_json()
            .contains("Missing 'basic' credential in request"),
        "{}",
        by_kind.to_json()
    );
}

#[test]
fn every_4x_kind_can_be_declared() {
    let integration = AuthKind::ALL
        .iter()
        .fold(
            Integration::builder(Multi, "kinds", "1.0.0"),
            |builder, kind| {
                builder.credential(Credential::new(format!("c_{}", kind.field()), *kind).optional())
            },
        )
        .build();
    let info = info4(&integration);
    let kinds: Vec<&str> = info["credentials_schema"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["x-credential-type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "oauth",
            "oauth_client_credentials",
            "oauth1",
            "basic",
            "token",
            "jwt",
            "service_account",
            "key_pair",
            "empty"
        ]
    );
    // An `empty` credential is always complete.
    let envelope = run(
        &integration,
        Protocol::V4,
        "app_info",
        &json!({"request": {}}),
    );
    assert!(!envelope.is_error());
}

fn authorize(credential_id: Option<&str>, protocol: Protocol) -> Value {
    let mut request =
        json!({"client_id": "cid", "scopes": [], "redirect_uri": "https://app/cb", "state": "st"});
    if let Some(id) = credential_id {
        request["credential_id"] = json!(id);
    }
    run(
        &multi(),
        protocol,
        "get_authorization_url",
        &json!({"request": request}),
    )
    .to_value()
}

#[test]
fn oauth_capabilities_route_by_credential_id() {
    assert_eq!(
        outcome(&authorize(None, Protocol::V4)),
        Err((
            "integration_missing_parameter".to_owned(),
            "OAuth settings were not provided for app 'multi'!".to_owned()
        ))
    );
    assert_eq!(
        outcome(&authorize(Some("legacy"), Protocol::V4)),
        Err((
            "integration_missing_parameter".to_owned(),
            "OAuth settings for credential ID: legacy were not provided!".to_owned()
        ))
    );
    let sso = authorize(Some("sso"), Protocol::V4);
    let url = sso["response"]["authorization_url"].as_str().unwrap();
    assert!(
        url.starts_with(
            "https://idp.example/authorize?client_id=cid&response_type=code&scope=users%3Aread"
        ),
        "{url}"
    );
    let partner = authorize(Some("partner"), Protocol::V4);
    let url = partner["response"]["authorization_url"].as_str().unwrap();
    assert!(
        url.starts_with("https://partner.example/authorize?"),
        "{url}"
    );
    // 3.7.8 has no credential_id: the first OAuth credential's provider.
    let old = authorize(None, Protocol::V3_7_8);
    let url = old["response"]["authorization_url"].as_str().unwrap();
    assert!(url.starts_with("https://idp.example/authorize?"), "{url}");
    // The refresh of a non-OAuth credential is refused before any request.
    let refresh = run(
        &multi(),
        Protocol::V4,
        "refresh_access_token",
        &json!({"request": {"client_id": "cid", "client_secret": "s", "refresh_token": "rt", "credential_id": "api"}}),
    );
    assert!(
        refresh
            .to_json()
            .contains("OAuth settings for credential ID: api were not provided!"),
        "{}",
        refresh.to_json()
    );
}

#[test]
fn validate_credential_config_knows_the_declared_ids() {
    let check = |credential: Value| {
        run(
            &multi(),
            Protocol::V4,
            "validate_credential_config",
            &json!({"request": {"credential": credential}}),
        )
        .to_value()
    };
    let ok = check(json!({"id": "legacy", "basic": basic()}));
    assert_eq!(ok["response"]["valid"], true, "{ok}");
    let by_kind = check(json!({"id": "basic", "basic": basic()}));
    assert_eq!(
        by_kind["error"]["message"],
        "Missing credential configuration for ID basic"
    );
    let wrong = check(json!({"id": "sso", "basic": basic()}));
    assert_eq!(
        wrong["error"]["message"],
        "Invalid or malformed credential received"
    );
}
