// SPDX-License-Identifier: AGPL-3.0-or-later
#include "events/outbound.hpp"

#include <gtest/gtest.h>

namespace vicugna::events {
namespace {

TEST(OutboundGuard, RefusesNonRoutableAddresses) {
    for (const char* ip : {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                           "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1",
                           "192.0.0.8", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
                           "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2001:db8::1", "not an ip"}) {
        EXPECT_TRUE(is_nonroutable_address(ip)) << ip;
    }
}

TEST(OutboundGuard, AllowsPublicAddresses) {
    for (const char* ip : {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "169.253.1.1",
                           "2606:4700:4700::1111", "::ffff:8.8.8.8"}) {
        EXPECT_FALSE(is_nonroutable_address(ip)) << ip;
    }
}

TEST(OutboundGuard, RefusesTargetsByAddressAndScheme) {
    for (const char* url : {"http://127.0.0.1:8080/hook", "http://10.0.0.5/", "http://169.254.169.254/latest/meta-data",
                            "http://[::1]:3456/x", "https://localhost/hook"}) {
        EXPECT_TRUE(refuse_target(url, false).has_value()) << url;
        EXPECT_FALSE(refuse_target(url, true).has_value()) << url;
    }
    for (const char* url : {"ftp://8.8.8.8/", "file:///etc/passwd", "not a url", "http://"}) {
        EXPECT_TRUE(refuse_target(url, true).has_value()) << url;
    }
    EXPECT_FALSE(refuse_target("http://8.8.8.8/hook", false).has_value());
}

TEST(OutboundGuard, HttpUrlsOnly) {
    for (const char* url : {"http://example.com", "https://example.com:8443/hook?x=1", "http://[::1]:80/", "HTTP://a.b/"}) {
        EXPECT_TRUE(is_http_url(url)) << url;
    }
    for (const char* url : {"", "example.com/hook", "ftp://example.com", "http://", "http:///path", "http://a b/",
                            "http://a/\x01", "javascript:alert(1)", "http://exa mple.com"}) {
        EXPECT_FALSE(is_http_url(url)) << url;
    }
}

}  // namespace
}  // namespace vicugna::events
