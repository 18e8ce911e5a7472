package textcode_test

import (
	"fmt"

	"github.com/govshare/govshare/internal/textcode"
)

type color uint8

func Example() {
	colors := textcode.Table[color]{
		{Value: 1, Code: "red", Zh: "红色", En: "red", Aliases: []string{"红"}},
		{Value: 2, Code: "blue", Zh: "蓝色", En: "blue"},
	}
	for _, s := range []string{" RED ", "蓝色", "红", "\u3000blue\u3000", "green"} {
		v, ok := colors.Parse(s)
		fmt.Println(v, ok)
	}
	e, _ := colors.Lookup(2)
	fmt.Println(e.Code, e.Zh, colors.Codes())
	// Output:
	// 1 true
	// 2 true
	// 1 true
	// 2 true
	// 0 false
	// blue 蓝色 [red blue]
}
