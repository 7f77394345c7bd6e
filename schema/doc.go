// Package schema is the source of truth and the model every output is
// generated from.
//
// The directory holds three things that are one subject, the platform
// source:
//
//   - definitions.cue, the CUE definitions every source obeys. They are
//     embedded in the binary (Definitions) and laid over the source
//     directory at load time, so a directory of data files alone loads.
//     They constrain single values: types, bounds, formats, defaults.
//   - this project's own platform, the other *.cue files, which `regen`
//     turns into out/.
//   - the Go code that loads a source and checks it: Load evaluates it
//     with CUE, decodes it into the model (Platform, Range, Host,
//     Service, ...) keeping the position of every value written, and
//     checks the rules across services (collisions, references,
//     reachability), reporting every problem at once at the user's
//     file:line:col. No cue.Value leaves the package: generators read
//     plain structs.
//
// The source's shape is written once, in the definitions. The model's
// json tags are the definitions' field names, and SourceShape reads the
// rest from the definitions themselves (which fields exist, in which
// order, which are required, their defaults), for the position index,
// the shape checks and import. Adding a field to the source is its CUE
// definition, its model field and its rule.
//
// The adoption subsystem, for teams that start from hand-written files,
// lives below in adoption/: handwritten reads compose, cloudflared,
// Prometheus and Markdown files; audit cross-checks them; importer
// writes a source from them, built as this package's model.
//
// The review subsystem, for looking at a platform and at a change to it,
// lives in review/: inventory lists the ports in use and free (ports),
// explain gathers what the platform derives from one service, and
// platformdiff compares two versions (diff), helped by derived, which
// reads routes, jobs and a service's lines back from generated files,
// and revision, which reads the source at a git revision. They read the
// model and the generated files; nothing here depends on them.
package schema
