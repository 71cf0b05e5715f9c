//! Integration tests: the real app, on a real database, over HTTP.

mod auth;
mod demo;
mod register;
mod seats;
mod store;
