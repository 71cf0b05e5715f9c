//! Integration tests: the real app, on a real database, over HTTP.

mod access;
mod auth;
mod campaign;
mod dashboard;
mod dashboard_counters;
mod demo;
mod doorstep;
mod erasure;
mod faults;
mod field_safety;
mod hostile;
mod load;
mod own_data;
mod people;
mod permissions;
mod polling_day;
mod privacy;
mod register;
mod seats;
mod signin;
mod store;
mod subject_access;
mod turf;
mod volunteers;
mod weight;
