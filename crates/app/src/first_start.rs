//! Creating tenants: on first start, and from the command line.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use domain::{
    tenant::{TenantName, TenantSlug},
    user::{DisplayName, EmailAddress, NewPassword},
};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use storage::{Database, NewTenant};

/// A tenant to create and how its administrator signs in.
#[derive(Debug)]
pub struct TenantPlan<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub admin_email: &'a str,
    pub admin_name: &'a str,
    pub admin_password: Option<&'a SecretString>,
}

/// The administrator's password, when it was generated (so it must be shown once).
#[derive(Debug)]
pub struct Created {
    pub slug: String,
    pub admin_email: String,
    pub generated_password: Option<SecretString>,
}

pub async fn create_tenant(store: &dyn Database, plan: TenantPlan<'_>) -> anyhow::Result<Created> {
    let fail = |e: domain::FieldError| anyhow::anyhow!("{}: {}", e.field, e.message);
    let generated = plan.admin_password.is_none().then(generate_password);
    let password = plan.admin_password.or(generated.as_ref()).map(|p| p.expose_secret().to_owned()).unwrap_or_default();
    let password =
        NewPassword::parse("admin password", &password, &[plan.admin_email, plan.admin_name]).map_err(fail)?;
    let new = NewTenant {
        slug: TenantSlug::parse("slug", plan.slug).map_err(fail)?,
        name: TenantName::parse("name", plan.name).map_err(fail)?,
        admin_email: EmailAddress::parse("admin email", plan.admin_email).map_err(fail)?,
        admin_name: DisplayName::parse("admin name", plan.admin_name).map_err(fail)?,
        admin_password_hash: server::hash_password(password.expose()).map_err(|e| anyhow::anyhow!("{e}"))?,
    };
    let (tenant, admin) = store.create_tenant(new).await?;
    Ok(Created {
        slug: tenant.slug.as_str().to_owned(),
        admin_email: admin.email.as_str().to_owned(),
        generated_password: generated,
    })
}

/// 144 random bits, URL-safe: easy to copy, impossible to guess.
fn generate_password() -> SecretString {
    let mut bytes = [0u8; 18];
    rand::rng().fill_bytes(&mut bytes);
    SecretString::from(URL_SAFE_NO_PAD.encode(bytes))
}
