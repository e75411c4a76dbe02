//! Shared by the criterion harnesses: the clock they measure with.

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// A criterion measurement: the CPU time the benchmark thread has used
/// (`CLOCK_THREAD_CPUTIME_ID`), read once per sample.
pub(crate) struct ThreadCpuTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = cpu_time::ThreadTime;
    type Value = Duration;

    fn start(&self) -> Self::Intermediate {
        cpu_time::ThreadTime::now()
    }

    fn end(&self, start: Self::Intermediate) -> Self::Value {
        start.elapsed()
    }

    fn add(&self, v1: &Self::Value, v2: &Self::Value) -> Self::Value {
        *v1 + *v2
    }

    fn zero(&self) -> Self::Value {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Self::Value) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        // Durations are shown the same way whichever clock measured them.
        static WALL: WallTime = WallTime;
        WALL.formatter()
    }
}
