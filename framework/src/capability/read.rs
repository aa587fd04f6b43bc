//! Capabilities that read from the app.

use super::Listing;
use super::capability;
use crate::wire;

capability! {
    /// Checks that the request's credential works against the app, and names the tenant it belongs to.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::validate_credentials`](crate::integration::IntegrationBuilder::validate_credentials).
    on_unimplemented(
        message = "`{Self}` does not implement the `validate_credentials` capability",
        label = "`validate_credentials` is registered here",
        note = "implement `connector_sdk::capability::ValidateCredentials` for `{Self}`:\n    impl ValidateCredentials for {Self} {{\n        async fn validate_credentials(&self, ctx: &Context<Self::Settings>, request: wire::ValidateCredentials) -> Result<wire::ValidatedCredentials, ConnectorError> {{ … }}\n    }}"
    );
    pub trait ValidateCredentials {
        fn validate_credentials(request: wire::ValidateCredentials) -> wire::ValidatedCredentials;
    }
    name = ValidateCredentials, marker = ValidateCredentialsMarker;
}

capability! {
    /// Lists the app's accounts, one page at a time.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::list_accounts`](crate::integration::IntegrationBuilder::list_accounts).
    on_unimplemented(
        message = "`{Self}` does not implement the `list_accounts` capability",
        label = "`list_accounts` is registered here",
        note = "implement `connector_sdk::capability::ListAccounts` for `{Self}`:\n    impl ListAccounts for {Self} {{\n        async fn list_accounts(&self, ctx: &Context<Self::Settings>, request: wire::ListAccounts) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {{ … }}\n    }}"
    );
    pub trait ListAccounts {
        fn list_accounts(request: wire::ListAccounts) -> Listing<wire::FoundAccountData>;
    }
    name = ListAccounts, marker = ListAccountsMarker;
}

capability! {
    /// Lists the app's resources (workspaces, repositories, groups…), one page at a time.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::list_resources`](crate::integration::IntegrationBuilder::list_resources).
    on_unimplemented(
        message = "`{Self}` does not implement the `list_resources` capability",
        label = "`list_resources` is registered here",
        note = "implement `connector_sdk::capability::ListResources` for `{Self}`:\n    impl ListResources for {Self} {{\n        async fn list_resources(&self, ctx: &Context<Self::Settings>, request: wire::ListResources) -> Result<Listing<wire::FoundResourceData>, ConnectorError> {{ … }}\n    }}"
    );
    pub trait ListResources {
        fn list_resources(request: wire::ListResources) -> Listing<wire::FoundResourceData>;
    }
    name = ListResources, marker = ListResourcesMarker;
}

capability! {
    /// Lists the app's entitlements (roles, memberships, licenses…), one page at a time.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::list_entitlements`](crate::integration::IntegrationBuilder::list_entitlements).
    on_unimplemented(
        message = "`{Self}` does not implement the `list_entitlements` capability",
        label = "`list_entitlements` is registered here",
        note = "implement `connector_sdk::capability::ListEntitlements` for `{Self}`:\n    impl ListEntitlements for {Self} {{\n        async fn list_entitlements(&self, ctx: &Context<Self::Settings>, request: wire::ListEntitlements) -> Result<Listing<wire::FoundEntitlementData>, ConnectorError> {{ … }}\n    }}"
    );
    pub trait ListEntitlements {
        fn list_entitlements(request: wire::ListEntitlements) -> Listing<wire::FoundEntitlementData>;
    }
    name = ListEntitlements, marker = ListEntitlementsMarker;
}

capability! {
    /// Lists which account holds which entitlement, one page at a time.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::find_entitlement_associations`](crate::integration::IntegrationBuilder::find_entitlement_associations).
    on_unimplemented(
        message = "`{Self}` does not implement the `find_entitlement_associations` capability",
        label = "`find_entitlement_associations` is registered here",
        note = "implement `connector_sdk::capability::FindEntitlementAssociations` for `{Self}`:\n    impl FindEntitlementAssociations for {Self} {{\n        async fn find_entitlement_associations(&self, ctx: &Context<Self::Settings>, request: wire::FindEntitlementAssociations) -> Result<Listing<wire::FoundEntitlementAssociation>, ConnectorError> {{ … }}\n    }}"
    );
    pub trait FindEntitlementAssociations {
        fn find_entitlement_associations(request: wire::FindEntitlementAssociations) -> Listing<wire::FoundEntitlementAssociation>;
    }
    name = FindEntitlementAssociations, marker = FindEntitlementAssociationsMarker;
}

capability! {
    /// Reports when the given accounts were last active.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::get_last_activity`](crate::integration::IntegrationBuilder::get_last_activity).
    on_unimplemented(
        message = "`{Self}` does not implement the `get_last_activity` capability",
        label = "`get_last_activity` is registered here",
        note = "implement `connector_sdk::capability::GetLastActivity` for `{Self}`:\n    impl GetLastActivity for {Self} {{\n        async fn get_last_activity(&self, ctx: &Context<Self::Settings>, request: wire::GetLastActivity) -> Result<Listing<wire::LastActivityData>, ConnectorError> {{ … }}\n    }}"
    );
    pub trait GetLastActivity {
        fn get_last_activity(request: wire::GetLastActivity) -> Listing<wire::LastActivityData>;
    }
    name = GetLastActivity, marker = GetLastActivityMarker;
}

capability! {
    /// Declares the custom attributes the app's accounts can carry.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::list_custom_attributes_schema`](crate::integration::IntegrationBuilder::list_custom_attributes_schema).
    on_unimplemented(
        message = "`{Self}` does not implement the `list_custom_attributes_schema` capability",
        label = "`list_custom_attributes_schema` is registered here",
        note = "implement `connector_sdk::capability::ListCustomAttributesSchema` for `{Self}`:\n    impl ListCustomAttributesSchema for {Self} {{\n        async fn list_custom_attributes_schema(&self, ctx: &Context<Self::Settings>, request: wire::ListCustomAttributesSchema) -> Result<Listing<wire::CustomAttributeSchema>, ConnectorError> {{ … }}\n    }}"
    );
    pub trait ListCustomAttributesSchema {
        fn list_custom_attributes_schema(request: wire::ListCustomAttributesSchema) -> Listing<wire::CustomAttributeSchema>;
    }
    name = ListCustomAttributesSchema, marker = ListCustomAttributesSchemaMarker;
}
