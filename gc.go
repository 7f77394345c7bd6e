package main

import (
	"runtime"
	"runtime/debug"
)

// The garbage collector keeps its default pace while the source loads:
// the load splits a large source into parts whose memory is garbage
// once each is exported, so the live heap stays small and collecting
// often keeps the peak well under what `cue export` of the same source
// needs.
//
// Once the model is made, the evaluated source is garbage: one
// collection frees it. What follows (generators, compose-go's loader,
// the writes) allocates a lot that dies young around a small live heap,
// so the pace is then slowed to collect when the heap has grown five
// times: a sixth less CPU for the whole run at ten thousand services,
// and a peak still below the load's or cue's.
//
// This is the command's policy, kept out of the schema package, so
// that other users of the model keep the default pace.

// gcPercentAfterLoad is the pace after the load.
const gcPercentAfterLoad = 400

// releaseSource collects the evaluated source once the model is made
// and slows the collector for the rest of the run.
func releaseSource() {
	runtime.GC()
	debug.SetGCPercent(gcPercentAfterLoad)
}
