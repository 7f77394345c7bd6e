package importer

import (
	"reflect"
	"strings"
)

// setByName sets the field of the struct ptr points to whose json name
// is name, the name the source gives it, and reports whether it could:
// there is such a field and v fits it. Import fills blocks the
// definitions pass through this way, so that a block added to the
// definitions and the model is imported with no change here.
func setByName(ptr any, name string, v any) bool {
	s := reflect.ValueOf(ptr)
	if s.Kind() != reflect.Pointer || s.Elem().Kind() != reflect.Struct {
		return false
	}
	s = s.Elem()
	for _, sf := range reflect.VisibleFields(s.Type()) {
		if tag, _, _ := strings.Cut(sf.Tag.Get("json"), ","); tag != name || !sf.IsExported() {
			continue
		}
		val := reflect.ValueOf(v)
		if !val.IsValid() || !val.Type().AssignableTo(sf.Type) {
			return false
		}
		s.FieldByIndex(sf.Index).Set(val)
		return true
	}
	return false
}
