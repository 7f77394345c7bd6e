package compose

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/consts"
	"github.com/compose-spec/compose-go/v2/dotenv"

	"portschema/generators/output"
	"portschema/schema"
)

// Compose names a project from `-p`, else COMPOSE_PROJECT_NAME of the
// environment and of the dotenv files it reads, else the file's `name:`.
// The generated file's `name:` is the source's project, so a dotenv file
// on the host that pins COMPOSE_PROJECT_NAME to another name wins over
// it: `docker compose up` starts a second project beside the running
// one, with new volumes and networks, and containers whose fixed names
// clash with the old ones. checkProjectNames reads the dotenv files
// compose reads on each host, the way compose picks them (the source's
// dotenv list, else the .env beside the compose file), and finds the
// secrets template asking for the name as a variable.
func checkProjectNames(p *schema.Platform, read output.Read) (schema.Diagnostics, error) {
	var ds schema.Diagnostics
	for _, h := range composeHosts(p) {
		if h.Compose == nil {
			continue
		}
		files, explicit := h.Compose.Dotenv, true
		if len(files) == 0 {
			files, explicit = []string{path.Join(path.Dir(OutputPath(h)), ".env")}, false
		}
		for i, file := range files {
			if read == nil { // a model checked without a project root
				break
			}
			data, err := read(file)
			switch {
			case errors.Is(err, fs.ErrNotExist) && explicit:
				ds.Errorf(h.At(fmt.Sprintf("compose.dotenv[%d]", i)), nil, "host %s: dotenv file %s does not exist", h.Name, file)
				continue
			case errors.Is(err, fs.ErrNotExist):
				continue
			case err != nil:
				return nil, fmt.Errorf("reading dotenv file %s: %w", file, err)
			}
			ds = append(ds, pinnedProject(h, file, data)...)
		}
		for _, s := range h.Services {
			for i, sec := range s.Secrets {
				if sec.From == consts.ComposeProjectName {
					ds.Errorf(s.At(fmt.Sprintf("secrets[%d]", i)), []schema.Pos{h.At("compose.project")},
						"%s: %s names the compose project, which the source sets as host %s's compose.project (%s); as a secret, the host's .env would rename the project",
						s.Name, consts.ComposeProjectName, h.Name, h.Compose.Project)
				}
			}
		}
	}
	return ds, nil
}

// pinnedProject is an error at the line of a dotenv file that sets
// COMPOSE_PROJECT_NAME to a name other than the host's project, or a
// file compose cannot read.
func pinnedProject(h *schema.Host, file string, data []byte) schema.Diagnostics {
	var ds schema.Diagnostics
	env, err := dotenv.UnmarshalBytesWithLookup(data, func(string) (string, bool) { return "", false })
	if err != nil {
		// The parser's message quotes the line, which may hold a
		// secret: only its number is kept.
		pos := schema.Pos{File: file}
		if _, scan := fmt.Sscanf(err.Error(), "line %d:", &pos.Line); scan == nil {
			// An unclosed quote fails past the last line.
			pos.Line, pos.Col = min(pos.Line, strings.Count(strings.TrimRight(string(data), "\n"), "\n")+1), 1
		}
		ds.Errorf(pos, nil, "host %s: compose cannot read dotenv file %s: a line is NAME=value, with a quoted value closed on its line or a later one", h.Name, file)
		return ds
	}
	name, ok := env[consts.ComposeProjectName]
	if !ok || name == "" || name == h.Compose.Project {
		return nil
	}
	ds.Errorf(assignmentPos(file, data, consts.ComposeProjectName), []schema.Pos{h.At("compose.project")},
		"host %s: %s sets %s=%s, but the source's project is %s; compose takes the project's name from it over the compose file's name:, and `docker compose up` would start a second project whose containers clash with the running ones",
		h.Name, file, consts.ComposeProjectName, name, h.Compose.Project)
	return ds
}

// assignmentPos is the position of the last line of a dotenv file that
// assigns name (the one dotenv keeps), or the file.
func assignmentPos(file string, data []byte, name string) schema.Pos {
	pos := schema.Pos{File: file}
	for i, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		key := strings.TrimLeft(strings.TrimPrefix(trimmed, "export "), " \t")
		if rest, ok := strings.CutPrefix(key, name); ok && strings.HasPrefix(strings.TrimLeft(rest, " \t"), "=") {
			pos = schema.Pos{File: file, Line: i + 1, Col: len(line) - len(key) + 1}
		}
	}
	return pos
}
