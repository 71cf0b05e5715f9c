//! Groundwork's measurements: `groundwork-perf bench …` times the speed targets in
//! process and prints the figures; `groundwork-perf load` drives real `groundwork` server
//! processes over HTTP as polling day would, and checks nothing acknowledged was lost or
//! doubled. None of it ships in the `groundwork` binary.

pub mod bench;
pub mod load;
