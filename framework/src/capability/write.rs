//! Capabilities that change the app.

use super::capability;
use crate::wire;

capability! {
    /// Creates an account, with its initial entitlements.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::create_account`](crate::integration::IntegrationBuilder::create_account).
    on_unimplemented(
        message = "`{Self}` does not implement the `create_account` capability",
        label = "`create_account` is registered here",
        note = "implement `connector_sdk::capability::CreateAccount` for `{Self}`:\n    impl CreateAccount for {Self} {{\n        async fn create_account(&self, ctx: &Context<Self::Settings>, request: wire::CreateAccount) -> Result<wire::CreatedAccount, ConnectorError> {{ … }}\n    }}"
    );
    pub trait CreateAccount {
        fn create_account(request: wire::CreateAccount) -> wire::CreatedAccount;
    }
    name = CreateAccount, marker = CreateAccountMarker;
}

capability! {
    /// Deletes an account.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::delete_account`](crate::integration::IntegrationBuilder::delete_account).
    on_unimplemented(
        message = "`{Self}` does not implement the `delete_account` capability",
        label = "`delete_account` is registered here",
        note = "implement `connector_sdk::capability::DeleteAccount` for `{Self}`:\n    impl DeleteAccount for {Self} {{\n        async fn delete_account(&self, ctx: &Context<Self::Settings>, request: wire::DeleteAccount) -> Result<wire::DeletedAccount, ConnectorError> {{ … }}\n    }}"
    );
    pub trait DeleteAccount {
        fn delete_account(request: wire::DeleteAccount) -> wire::DeletedAccount;
    }
    name = DeleteAccount, marker = DeleteAccountMarker;
}

capability! {
    /// Re-enables a deactivated account.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::activate_account`](crate::integration::IntegrationBuilder::activate_account).
    on_unimplemented(
        message = "`{Self}` does not implement the `activate_account` capability",
        label = "`activate_account` is registered here",
        note = "implement `connector_sdk::capability::ActivateAccount` for `{Self}`:\n    impl ActivateAccount for {Self} {{\n        async fn activate_account(&self, ctx: &Context<Self::Settings>, request: wire::ActivateAccount) -> Result<wire::ActivatedAccount, ConnectorError> {{ … }}\n    }}"
    );
    pub trait ActivateAccount {
        fn activate_account(request: wire::ActivateAccount) -> wire::ActivatedAccount;
    }
    name = ActivateAccount, marker = ActivateAccountMarker;
}

capability! {
    /// Disables an account without deleting it.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::deactivate_account`](crate::integration::IntegrationBuilder::deactivate_account).
    on_unimplemented(
        message = "`{Self}` does not implement the `deactivate_account` capability",
        label = "`deactivate_account` is registered here",
        note = "implement `connector_sdk::capability::DeactivateAccount` for `{Self}`:\n    impl DeactivateAccount for {Self} {{\n        async fn deactivate_account(&self, ctx: &Context<Self::Settings>, request: wire::DeactivateAccount) -> Result<wire::DeactivatedAccount, ConnectorError> {{ … }}\n    }}"
    );
    pub trait DeactivateAccount {
        fn deactivate_account(request: wire::DeactivateAccount) -> wire::DeactivatedAccount;
    }
    name = DeactivateAccount, marker = DeactivateAccountMarker;
}

capability! {
    /// Grants an entitlement to an account.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::assign_entitlement`](crate::integration::IntegrationBuilder::assign_entitlement).
    on_unimplemented(
        message = "`{Self}` does not implement the `assign_entitlement` capability",
        label = "`assign_entitlement` is registered here",
        note = "implement `connector_sdk::capability::AssignEntitlement` for `{Self}`:\n    impl AssignEntitlement for {Self} {{\n        async fn assign_entitlement(&self, ctx: &Context<Self::Settings>, request: wire::AssignEntitlement) -> Result<wire::AssignedEntitlement, ConnectorError> {{ … }}\n    }}"
    );
    pub trait AssignEntitlement {
        fn assign_entitlement(request: wire::AssignEntitlement) -> wire::AssignedEntitlement;
    }
    name = AssignEntitlement, marker = AssignEntitlementMarker;
}

capability! {
    /// Revokes an entitlement from an account.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::unassign_entitlement`](crate::integration::IntegrationBuilder::unassign_entitlement).
    on_unimplemented(
        message = "`{Self}` does not implement the `unassign_entitlement` capability",
        label = "`unassign_entitlement` is registered here",
        note = "implement `connector_sdk::capability::UnassignEntitlement` for `{Self}`:\n    impl UnassignEntitlement for {Self} {{\n        async fn unassign_entitlement(&self, ctx: &Context<Self::Settings>, request: wire::UnassignEntitlement) -> Result<wire::UnassignedEntitlement, ConnectorError> {{ … }}\n    }}"
    );
    pub trait UnassignEntitlement {
        fn unassign_entitlement(request: wire::UnassignEntitlement) -> wire::UnassignedEntitlement;
    }
    name = UnassignEntitlement, marker = UnassignEntitlementMarker;
}
