package main

import (
	"runtime"
	"runtime/debug"
)

// The garbage collector's pace is the command's policy, kept out of the
// schema package so that other users of the model keep the default.
//
// While the source loads, the load splits a large source into parts
// whose memory is garbage once each is exported, so the live heap stays
// small: collecting when it has tripled (rather than doubled) saves a
// tenth of the run's CPU at ten thousand services and leaves the peak
// where it was, under what `cue export` of the same source needs.
//
// Once the model is made, the evaluated source is garbage: one
// collection frees it. What follows (generators, compose-go's loader,
// the writes) allocates much that dies young around a small live heap,
// so the pace is then slowed to five times the live heap: a sixth less
// CPU again, with a peak still below the load's.

// Paces of the collector (GOGC) during and after the load.
const (
	gcPercentLoad      = 200
	gcPercentAfterLoad = 400
)

// tuneGC sets the pace of the load; only main calls it.
func tuneGC() { debug.SetGCPercent(gcPercentLoad) }

// releaseSource collects the evaluated source once the model is made
// and slows the collector for the rest of the run.
func releaseSource() {
	runtime.GC()
	debug.SetGCPercent(gcPercentAfterLoad)
}
