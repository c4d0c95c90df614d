//! Bias audit: rates and impact ratios per protected category, and the proxy check.
//!
//! Protected attributes (sex, race/ethnicity, ...) are passed in here separately, per
//! application, and are read by nothing else in the crate: they never become a feature, and no
//! function here logs a value of them.

mod bias;
mod proxy;

pub use bias::{
    AttributeAudit, AuditConfig, BiasAudit, CategoryFigures, ProtectedAttribute, bias_audit,
};
pub use proxy::{AttributeProxy, CategoryProxy, ProxyConfig, proxy_check};
