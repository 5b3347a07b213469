/// What the HTTP layer needs from configuration. The `app` crate fills it from defaults,
/// `CASEDESK_*` environment variables and the command line.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// A session ends this long after sign-in, however active.
    pub session_absolute_secs: i64,
    /// A session ends after this long without a request.
    pub session_idle_secs: i64,
    /// Registers `/__test/*` endpoints (a deliberately slow request for the shutdown test).
    /// Never enable in production.
    pub test_endpoints: bool,
    /// Throttling and lockout after wrong passwords.
    pub lockout: domain::sign_in::LockoutPolicy,
    /// Where Entra ID and Microsoft Graph are (Microsoft's, unless a test or cloud says otherwise).
    pub entra: crate::auth::entra::EntraEndpoints,
    /// How many reads that scan (lists, search, counts, timelines) run at once; more wait their
    /// turn so that record reads and writes stay quick (see `scan_gate`).
    pub scan_concurrency: usize,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers are believed.
    pub trusted_proxies: crate::client_address::TrustedProxies,
    /// Requests per minute per address and per credential.
    pub rate_limits: crate::rate_limit::RateLimitSettings,
    /// How long a request body may take to arrive once its headers have.
    pub body_timeout_secs: u64,
    /// How often the job scheduler looks for due work, and how long it holds a job.
    pub scheduler: crate::scheduler::SchedulerSettings,
    /// Where documents are kept, the master key, the virus scanner and the size limits.
    pub documents: crate::documents::DocumentSettings,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            session_absolute_secs: 12 * 3600,
            session_idle_secs: 30 * 60,
            test_endpoints: false,
            lockout: domain::sign_in::LockoutPolicy::default(),
            entra: crate::auth::entra::EntraEndpoints::default(),
            scan_concurrency: crate::scan_gate::ScanGate::default_size(),
            trusted_proxies: crate::client_address::TrustedProxies::default(),
            rate_limits: crate::rate_limit::RateLimitSettings::default(),
            body_timeout_secs: 10,
            scheduler: crate::scheduler::SchedulerSettings::default(),
            documents: crate::documents::DocumentSettings::default(),
        }
    }
}
