#![doc = include_str!("../README.md")]

pub mod api;
pub mod auth;
pub mod client;
pub mod error;
pub mod filters;
pub mod ids;
pub mod models;
pub mod pagination;
pub mod rate_limit;
mod raw;
pub mod retry;

#[cfg(feature = "sim")]
pub mod sim;

pub use crate::auth::{Credentials, FileTokenStore, MemoryTokenStore, TokenStore};
pub use crate::client::{Client, ClientBuilder, RequestOptions};
pub use crate::error::{ApiError, ApiErrorBody, Error, Result};
pub use crate::filters::{DateBound, DateFilter, DateOp};
pub use crate::pagination::{Cursor, Page, Pages, Paginator};
pub use crate::rate_limit::RateLimit;
pub use crate::retry::RetryPolicy;
