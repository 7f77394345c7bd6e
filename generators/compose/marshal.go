package compose

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"

	"portschema/generators/yamlout"
)

// serviceKeyOrder is the order people write a service's keys in: what
// runs, what it is called, how it starts, what it is given, how it
// connects, when it is up, how it is found. Keys not listed here follow
// in the order compose-go declares them (see keyRank).
var serviceKeyOrder = []string{
	"image", "build", "container_name", "profiles", "restart",
	"command", "entrypoint", "environment", "ports", "volumes",
	"depends_on", "healthcheck", "labels",
}

// marshalDocument writes a host's compose document as YAML. Values are written
// as the document has them, which is as the source wrote them for the
// pass-through keys (a size stays 128m, a command stays a string or a
// list); only the order of keys is chosen: a service's keys in
// serviceKeyOrder, the keys of every block compose-go has a type for in
// the order of that type's fields (the order compose-go itself writes
// them in, and the order of the compose specification), and map keys
// (labels, environment, build args, ...) sorted. Building the YAML
// straight from the document, rather than from a project compose-go
// loaded, keeps regen's cost that of the validation alone; tests load
// every file back with compose-go's loader and compare it with the
// project the document makes.
func marshalDocument(doc map[string]any) ([]byte, error) {
	return yamlout.EncodeNode(node(doc, projectType))
}

var (
	projectType = reflect.TypeFor[types.Project]()
	serviceType = reflect.TypeFor[types.ServiceConfig]()
	portType    = reflect.TypeFor[types.ServicePortConfig]()
)

// node is the YAML node of a document value. t is the compose-go type
// the value decodes into, or nil where there is none (an extension, a
// value compose-go keeps as any); it decides the order of the keys.
func node(v any, t reflect.Type) *yaml.Node {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		ranks := keyRanks(t)
		slices.SortFunc(keys, func(a, b string) int {
			if ra, rb := ranks[a], ranks[b]; ra != rb {
				// Unranked keys (0) go after the ranked ones.
				if ra == 0 || rb != 0 && ra > rb {
					return 1
				}
				return -1
			}
			switch {
			case a < b:
				return -1
			case a > b:
				return 1
			}
			return 0
		})
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: make([]*yaml.Node, 0, 2*len(keys))}
		for _, k := range keys {
			n.Content = append(n.Content, str(k), node(v[k], childType(t, k)))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: make([]*yaml.Node, 0, len(v))}
		for _, e := range v {
			n.Content = append(n.Content, node(e, elemType(t)))
		}
		return n
	case string:
		n := str(v)
		if t == portType {
			// A port in the short syntax. Always quoted, as people
			// write them: YAML 1.1 reads 22:22 as a number.
			n.Style = yaml.DoubleQuotedStyle
		}
		return n
	case int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(v)}
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			// JSON has no such numbers; say what it is rather than
			// write something compose reads as another value.
			return str(fmt.Sprint(v))
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(v, 'g', -1, 64)}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	// The document holds only what JSON decodes to; anything else is a
	// bug here, written visibly rather than dropped.
	return str(fmt.Sprint(v))
}

// str is a string scalar. The encoder quotes it where YAML would read
// it as something else; strings that only YAML 1.1 readers take for a
// boolean or a base-60 number (yes, on, 22:22) are double-quoted too,
// so that no reader of the file sees another value.
func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if yaml11Special(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

var base60 = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`)

func yaml11Special(s string) bool {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"on", "On", "ON", "off", "Off", "OFF":
		return true
	}
	return len(s) > 2 && s[0] <= '9' && base60.MatchString(s)
}

// keyRanks gives each key of a compose-go struct type its place,
// counting from 1: for a service, serviceKeyOrder first; then the
// struct's fields in declaration order, inlined structs in place.
func keyRanks(t reflect.Type) map[string]int {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	return infoOf(t).ranks
}

// childType is the compose-go type of the value at key in a value of
// type t, or nil.
func childType(t reflect.Type, key string) reflect.Type {
	if t == nil {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		return infoOf(t).fields[key]
	case reflect.Map:
		return deref(t.Elem())
	}
	return nil
}

// structInfo is what marshalDocument needs of a compose-go struct type: the
// rank of each key and the type of its value.
type structInfo struct {
	ranks  map[string]int
	fields map[string]reflect.Type
}

// infoOf is computed once per type; hosts are written concurrently.
func infoOf(t reflect.Type) structInfo {
	if info, ok := infoCache.Load(t); ok {
		return info.(structInfo)
	}
	info := structInfo{ranks: map[string]int{}, fields: map[string]reflect.Type{}}
	if t == serviceType {
		for _, k := range serviceKeyOrder {
			info.ranks[k] = len(info.ranks) + 1
		}
	}
	addFields(t, info)
	infoCache.Store(t, info)
	return info
}

var infoCache sync.Map // reflect.Type → structInfo

// addFields adds the YAML keys of a struct type in declaration order,
// the fields of inlined structs in place.
func addFields(t reflect.Type, info structInfo) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, options, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		option, _, _ := strings.Cut(options, ",")
		if name == "-" {
			continue
		}
		if option == "inline" || f.Anonymous && name == "" {
			if ft := deref(f.Type); ft.Kind() == reflect.Struct {
				addFields(ft, info)
			}
			continue
		}
		if name == "" {
			continue
		}
		if _, ok := info.ranks[name]; !ok {
			info.ranks[name] = len(info.ranks) + 1
		}
		info.fields[name] = deref(f.Type)
	}
}

// elemType is the compose-go type of the items of a list of type t, or
// nil.
func elemType(t reflect.Type) reflect.Type {
	if t = deref(t); t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		return deref(t.Elem())
	}
	return nil
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}
