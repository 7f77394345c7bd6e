package handwritten

import (
	"errors"
	"fmt"
	"reflect"
)

// yamlError words a YAML syntax error of a hand-written file as every
// other error of the readers is worded: the file's name, line and
// column, then what is wrong, so an editor jumps to it. The YAML
// library keeps its errors' positions in types of an internal package;
// they are read by their field names (Mark, Message, ContextMark,
// ContextMessage), and an error of another shape is kept as it is. The
// library counts lines from 0 in some errors and from 1 in others, so a
// position is taken from a mark's byte offset into data where it has
// one.
func yamlError(kind, name string, data []byte, err error) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		v := reflect.ValueOf(e)
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			continue
		}
		line, col, ok := mark(data, v.FieldByName("Mark"))
		msg := v.FieldByName("Message")
		if !ok || !msg.IsValid() || msg.Kind() != reflect.String {
			continue
		}
		text := msg.String()
		if ctx := v.FieldByName("ContextMessage"); ctx.IsValid() && ctx.Kind() == reflect.String && ctx.String() != "" {
			if cl, cc, ok := mark(data, v.FieldByName("ContextMark")); ok {
				text += fmt.Sprintf(" (%s at line %d, column %d)", ctx.String(), cl, cc)
			}
		}
		return fmt.Errorf("%s %s:%d:%d: %s", kind, name, line, col, text)
	}
	return fmt.Errorf("%s %s: %w", kind, name, err)
}

// mark reads a position of the YAML library as a 1-based line and
// column: from its byte offset (Index) into data if it has one, else
// from its line and column (those of a node, 1-based).
func mark(data []byte, v reflect.Value) (line, col int, ok bool) {
	if !v.IsValid() || v.Kind() != reflect.Struct {
		return 0, 0, false
	}
	if i := v.FieldByName("Index"); i.IsValid() && i.CanInt() && i.Int() > 0 && int(i.Int()) <= len(data) {
		line, col = 1, 1
		for _, r := range string(data[:i.Int()]) {
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return line, col, true
	}
	l, c := v.FieldByName("Line"), v.FieldByName("Column")
	if !l.IsValid() || !c.IsValid() || !l.CanInt() || !c.CanInt() || l.Int() <= 0 {
		return 0, 0, false
	}
	return int(l.Int()), max(int(c.Int()), 1), true
}
