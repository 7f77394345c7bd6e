package schema

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestShortFormsRoundTrip: every value encodes to a form that decodes
// back to it, short where the source may write it short.
func TestShortFormsRoundTrip(t *testing.T) {
	for _, c := range []struct {
		value any
		json  string
	}{
		{Need{Service: "redis", Depends: true}, `"redis"`},
		{Need{Service: "redis"}, `{"service":"redis","env":"","port":"","from":"","scheme":"","path":"","user":"","password":"","depends":false,"condition":"","url":true}`},
		{Need{Service: "redis", Depends: true, NoURL: true, Condition: ConditionStarted}, `{"service":"redis","env":"","port":"","from":"","scheme":"","path":"","user":"","password":"","depends":true,"condition":"started","url":false}`},
		{Need{Service: "auth", Env: "AUTH", From: Internet, Depends: true}, `{"service":"auth","env":"AUTH","port":"","from":"internet","scheme":"","path":"","user":"","password":"","depends":true,"condition":"","url":true}`},
		{Public{Hostname: "a.example.com"}, `"a.example.com"`},
		{Public{Hostname: "a.example.com", Path: "/api"}, `{"hostname":"a.example.com","path":"/api","port":""}`},
		{Secret{Env: "TOKEN", From: "TOKEN"}, `"TOKEN"`},
		{Secret{Env: "TOKEN", From: "HOST_TOKEN"}, `{"env":"TOKEN","from":"HOST_TOKEN"}`},
		{EnvValue{Value: "3"}, `"3"`},
	} {
		data, err := json.Marshal(c.value)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != c.json {
			t.Errorf("%+v encodes as %s, want %s", c.value, data, c.json)
		}
		back := reflect.New(reflect.TypeOf(c.value))
		if err := json.Unmarshal(data, back.Interface()); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if !reflect.DeepEqual(back.Elem().Interface(), c.value) {
			t.Errorf("%s decodes as %+v, want %+v", data, back.Elem().Interface(), c.value)
		}
	}
}
