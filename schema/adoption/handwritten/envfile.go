package handwritten

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
)

// EnvFile is one dotenv file as written: the `.env` compose reads for
// interpolation on a host, or a service's own environment file.
type EnvFile struct {
	Path string
	Vars []EnvVar // in file order; values as dotenv reads them
}

// Var returns the variable called name.
func (f *EnvFile) Var(name string) (EnvVar, bool) {
	for _, v := range f.Vars {
		if v.Name == name {
			return v, true
		}
	}
	return EnvVar{}, false
}

// Stem is the file's name without directory and extension, or, for a
// file named only ".env" or ".env.something", its directory's name: the
// name of the service the file belongs to, when it belongs to one.
func (f *EnvFile) Stem() string {
	base := filepath.Base(f.Path)
	if base == ".env" || strings.HasPrefix(base, ".env.") {
		return filepath.Base(filepath.Dir(f.Path))
	}
	stem, _, _ := strings.Cut(base, ".")
	return stem
}

// ReadEnv reads and parses the dotenv file at path.
func ReadEnv(path string) (*EnvFile, error) {
	data, err := readFile("env", path)
	if err != nil {
		return nil, err
	}
	return ParseEnv(path, data)
}

// ParseEnv parses a dotenv file held in data; name is used in positions
// and errors. Values are compose-go's dotenv reading of the file, with no
// variable looked up: a `${VAR}` a value refers to stays as written.
// Each variable's line is the line its name starts on.
func ParseEnv(name string, data []byte) (*EnvFile, error) {
	values, err := dotenv.ParseWithLookup(bytes.NewReader(data), func(string) (string, bool) { return "", false })
	if err != nil {
		return nil, fmt.Errorf("env %s: %w", name, err)
	}
	f := &EnvFile{Path: name}
	seen := map[string]bool{}
	for i, line := range strings.Split(string(data), "\n") {
		key := envKey(line)
		value, ok := values[key]
		if !ok || seen[key] {
			continue
		}
		seen[key] = true
		f.Vars = append(f.Vars, EnvVar{Name: key, Value: value, HasValue: true, Pos: Pos{File: name, Line: i + 1}})
	}
	return f, nil
}

// envKey is the variable a dotenv line assigns ("" for a comment, a blank
// line or the inside of a multi-line value, which dotenv then does not
// list among its keys unless the name matches).
func envKey(line string) string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "export ")
	end := strings.IndexAny(line, "=:")
	if end <= 0 {
		return ""
	}
	key := strings.TrimSpace(line[:end])
	for i := 0; i < len(key); i++ {
		if !isNameByte(key[i], i == 0) && key[i] != '.' && key[i] != '-' {
			return ""
		}
	}
	return key
}
