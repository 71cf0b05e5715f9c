//! Integration tests: the real app, on a real database, over HTTP.

mod auth;
mod campaign;
mod dashboard;
mod dashboard_counters;
mod demo;
mod door_form;
mod doorstep;
mod faults;
mod load;
mod people;
mod permissions;
mod privacy;
mod register;
mod seats;
mod site;
mod store;
mod turf;
mod volunteers;
