module portschema

go 1.26.8

require (
	cuelang.org/go v0.17.1 // indirect
	github.com/compose-spec/compose-go/v2 v2.16.2 // indirect
	github.com/rogpeppe/go-internal v1.16.0 // indirect
	github.com/yuin/goldmark v1.8.7 // indirect
)
