#!/usr/bin/env perl
# Mends the data of a wasm-split-cli 0.7 split (scripts/build-web).
#
#   wasm-split-data.pl <main.wasm> <unsplit.wasm> [<page module.wasm> ...]
#
# The splitter zeroes, in the main module, the static data it believes only
# the lazily loaded modules use, and has each of those modules write its
# share when it loads. With Rust 1.95's format strings (templates that
# LLVM merges across functions) it attributes some data the main module
# still reads to a page module: the journal's week header then formatted
# " · 3 entries" as an empty string until the Settings page had loaded.
# So the main module keeps all of the original static data (its first data
# segment, byte for byte from wasm-bindgen's unsplit output: ~18 KB gzip),
# and the page modules write none (they would only rewrite the same bytes,
# and could reset a static the main module had already changed).
#
# Plain Perl (Debian's essential perl-base), no wasm library: only the
# data section's first segment and the data and data-count sections are
# touched; every other section is copied as it is.
use strict;
use warnings;

sub slurp {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "$path: $!\n";
    local $/;
    my $bytes = <$fh>;
    return $bytes;
}

sub spew {
    my ($path, $bytes) = @_;
    open my $fh, '>:raw', $path or die "$path: $!\n";
    print {$fh} $bytes or die "$path: $!\n";
    close $fh or die "$path: $!\n";
}

# Reads an unsigned LEB128 at $$pos, moving $$pos past it.
sub uleb {
    my ($bytes, $pos) = @_;
    my ($value, $shift) = (0, 0);
    while (1) {
        my $byte = ord substr($$bytes, $$pos++, 1);
        $value |= ($byte & 0x7f) << $shift;
        return $value if $byte < 0x80;
        $shift += 7;
    }
}

# Signed LEB128 (an i32.const offset).
sub sleb {
    my ($bytes, $pos) = @_;
    my ($value, $shift, $byte) = (0, 0, 0);
    do {
        $byte = ord substr($$bytes, $$pos++, 1);
        $value |= ($byte & 0x7f) << $shift;
        $shift += 7;
    } while ($byte >= 0x80);
    $value -= (1 << $shift) if $byte & 0x40;
    return $value;
}

sub uleb_bytes {
    my ($value) = @_;
    my $out = '';
    do {
        my $byte = $value & 0x7f;
        $value >>= 7;
        $out .= chr($value ? $byte | 0x80 : $byte);
    } while ($value);
    return $out;
}

# The module's sections as [id, payload start, payload length].
sub sections {
    my ($bytes, $path) = @_;
    substr($$bytes, 0, 4) eq "\0asm" or die "$path is not a wasm module\n";
    my ($pos, @sections) = (8);
    while ($pos < length $$bytes) {
        my $id = ord substr($$bytes, $pos++, 1);
        my $size = uleb($bytes, \$pos);
        push @sections, [$id, $pos, $size];
        $pos += $size;
    }
    return @sections;
}

# Where the first data segment's bytes are: (memory offset, byte position
# in the file, length). The splitter only zeroes that segment.
sub first_segment {
    my ($bytes, $path) = @_;
    my ($data) = grep { $_->[0] == 11 } sections($bytes, $path);
    $data or die "$path has no data section\n";
    my $pos = $data->[1];
    uleb($bytes, \$pos) > 0 or die "$path has no data segment\n";
    uleb($bytes, \$pos) == 0 or die "$path: the first data segment is not an active one of memory 0\n";
    ord(substr($$bytes, $pos++, 1)) == 0x41 or die "$path: the first segment's offset is not an i32.const\n";
    my $offset = sleb($bytes, \$pos);
    ord(substr($$bytes, $pos++, 1)) == 0x0b or die "$path: the first segment's offset does not end\n";
    my $length = uleb($bytes, \$pos);
    return ($offset, $pos, $length);
}

my ($main_path, $unsplit_path, @page_paths) = @ARGV;
defined $unsplit_path or die "usage: $0 <main.wasm> <unsplit.wasm> [<page module.wasm> ...]\n";

my $main = slurp($main_path);
my $unsplit = slurp($unsplit_path);
my ($main_offset, $main_at, $main_length) = first_segment(\$main, $main_path);
my ($orig_offset, $orig_at, $orig_length) = first_segment(\$unsplit, $unsplit_path);
$main_offset == $orig_offset && $main_length == $orig_length
    or die "$main_path: its first data segment is not the unsplit one's (a newer splitter?)\n";
substr($main, $main_at, $main_length) = substr($unsplit, $orig_at, $orig_length);
spew($main_path, $main);

for my $path (@page_paths) {
    my $module = slurp($path);
    my $out = substr($module, 0, 8);
    for my $section (sections(\$module, $path)) {
        my ($id, $start, $size) = @$section;
        # No data segments (11), and a data count (12) that says so.
        my $payload = ($id == 11 || $id == 12) ? "\0" : substr($module, $start, $size);
        $out .= chr($id) . uleb_bytes(length $payload) . $payload;
    }
    spew($path, $out);
}
