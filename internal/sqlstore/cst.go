package sqlstore

import (
	"reflect"
	"time"

	"github.com/govshare/govshare/deadline"
)

var timeType = reflect.TypeFor[time.Time]()

// InCST puts every non-zero time.Time reachable from ptr (a pointer to a
// struct, through exported fields, pointers, slices and arrays) in China
// Standard Time, the zone govshare's instants are in. A JSON round trip
// keeps an instant and its offset but not its zone: what comes back is a
// fixed "+0800" zone, equal as an instant but not deadline.CST, which a
// caller comparing locations or formatting zone names would notice. A
// nil or non-pointer ptr is left alone.
func InCST(ptr any) {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	inCST(v.Elem())
}

func inCST(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			if t := v.Interface().(time.Time); !t.IsZero() && v.CanSet() {
				v.Set(reflect.ValueOf(t.In(deadline.CST)))
			}
			return
		}
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				inCST(f)
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			inCST(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			inCST(v.Index(i))
		}
	}
}
