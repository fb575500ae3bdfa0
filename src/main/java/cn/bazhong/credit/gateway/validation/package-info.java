/**
 * Field validators for Chinese public-credit records (双公示 and related feeds).
 *
 * <p>Every validator follows one rule: <em>normalise what has exactly one unambiguous reading,
 * reject the rest with a clear message</em>. Results are returned as {@link
 * cn.bazhong.credit.gateway.validation.Checked} values carrying a stable {@link
 * cn.bazhong.credit.gateway.validation.Rule} code; exceptions are reserved for programming errors
 * (null arguments, malformed input to the {@code checkChar} generators).
 *
 * <p>The classes are called once per field per record on files of millions of records, so they
 * scan by hand, return the input instance when nothing needs changing, and never use exceptions
 * for control flow. The package is plain Java: no Spring, Camel or Jackson types.
 */
package cn.bazhong.credit.gateway.validation;
