/**
 * Writing CSV that is safe to open in a spreadsheet: formula cells neutralised ({@link
 * cn.bazhong.credit.gateway.csv.CsvCells}). Plain Java.
 */
package cn.bazhong.credit.gateway.csv;
