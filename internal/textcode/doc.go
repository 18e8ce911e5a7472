// Package textcode maps the small enumerations of govshare (share attributes,
// roles, grades, …) to their stable lowercase codes and Chinese terms.
//
// Each enumeration declares one Table; String, MarshalText and UnmarshalText
// of the enumeration are thin calls into it, so every enumeration parses the
// same way: surrounding spaces (ASCII and full-width) are ignored, codes are
// matched without regard to ASCII case, Chinese terms and aliases exactly.
package textcode
