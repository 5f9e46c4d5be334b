// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace vicugna::http {
namespace {

using Params = std::map<std::string, std::string>;

/// The payload of the matched route, or -1 when none matched.
int value_of(const Router<int>::Match& m) { return m.route ? *m.route : -1; }

class RouterTest : public ::testing::Test {
protected:
    void SetUp() override {
        router_.add(Verb::get, "/api/v1/info", 1);
        router_.add(Verb::get, "/api/v1/tasks/all", 2);
        router_.add(Verb::get, "/api/v1/tasks/{id}", 3);
        router_.add(Verb::post, "/api/v1/tasks/{id}", 4);
        router_.add(Verb::delete_, "/api/v1/tasks/{id}", 5);
        router_.add(Verb::put, "/api/v1/projects/{project}/tasks", 6);
        router_.add(Verb::get, "/api/v1/projects/{project}/views/{view}/tasks", 7);
        router_.add(Verb::get, "/api/v1/tasks/{id}/comments", 8);
        router_.add(Verb::head, "/api/v1/head-only", 9);
        router_.add(Verb::get, "/", 10);
    }
    Router<int> router_;
};

TEST(RouterNames, ParameterNamesBelongToTheRoute) {
    // Vikunja names the same position differently per route: /tasks/:projecttask and /tasks/:task/labels.
    Router<int> router;
    router.add(Verb::get, "/tasks/{projecttask}", 1);
    router.add(Verb::get, "/tasks/{task}/labels/{label}", 2);
    auto one = router.match(Verb::get, "/tasks/7");
    EXPECT_EQ(value_of(one), 1);
    EXPECT_EQ(one.params, (Params{{"projecttask", "7"}}));
    auto two = router.match(Verb::get, "/tasks/7/labels/3");
    EXPECT_EQ(value_of(two), 2);
    EXPECT_EQ(two.params, (Params{{"task", "7"}, {"label", "3"}}));
}

TEST_F(RouterTest, MatchesLiteralPath) {
    auto m = router_.match(Verb::get, "/api/v1/info");
    EXPECT_EQ(value_of(m), 1);
    EXPECT_TRUE(m.path_known);
    EXPECT_TRUE(m.params.empty());
    EXPECT_EQ(m.allowed, std::vector<Verb>{Verb::get});
}

TEST_F(RouterTest, CapturesParameter) {
    auto m = router_.match(Verb::get, "/api/v1/tasks/42");
    EXPECT_EQ(value_of(m), 3);
    EXPECT_EQ(m.params, (Params{{"id", "42"}}));
    // Parameters are text: the router does not check that an id is numeric.
    EXPECT_EQ(router_.match(Verb::get, "/api/v1/tasks/abc").params, (Params{{"id", "abc"}}));
}

TEST_F(RouterTest, MethodSelectsRouteOnTheSamePath) {
    EXPECT_EQ(value_of(router_.match(Verb::post, "/api/v1/tasks/7")), 4);
    EXPECT_EQ(value_of(router_.match(Verb::delete_, "/api/v1/tasks/7")), 5);
}

TEST_F(RouterTest, LiteralWinsOverParameter) {
    auto all = router_.match(Verb::get, "/api/v1/tasks/all");
    EXPECT_EQ(value_of(all), 2);
    EXPECT_TRUE(all.params.empty());
    // Registration order does not matter.
    Router<int> r;
    r.add(Verb::get, "/tasks/{id}", 1);
    r.add(Verb::get, "/tasks/all", 2);
    EXPECT_EQ(value_of(r.match(Verb::get, "/tasks/all")), 2);
    EXPECT_EQ(value_of(r.match(Verb::get, "/tasks/1")), 1);
}

TEST_F(RouterTest, LiteralThatLeadsNowhereFallsBackToParameter) {
    // "all" is a literal child of /tasks, but /tasks/all/comments is only reachable through {id}.
    auto m = router_.match(Verb::get, "/api/v1/tasks/all/comments");
    EXPECT_EQ(value_of(m), 8);
    EXPECT_EQ(m.params, (Params{{"id", "all"}}));
}

TEST_F(RouterTest, LiteralMatchedWithOtherMethodIsA405NotTheParameterRoute) {
    // GET /tasks/all exists, so POST /tasks/all is a 405 rather than POST /tasks/{id} with id "all".
    auto m = router_.match(Verb::post, "/api/v1/tasks/all");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.path_known);
    EXPECT_EQ(m.allowed, std::vector<Verb>{Verb::get});
}

TEST_F(RouterTest, NestedParameters) {
    auto m = router_.match(Verb::get, "/api/v1/projects/3/views/12/tasks");
    EXPECT_EQ(value_of(m), 7);
    EXPECT_EQ(m.params, (Params{{"project", "3"}, {"view", "12"}}));

    auto put = router_.match(Verb::put, "/api/v1/projects/3/tasks");
    EXPECT_EQ(value_of(put), 6);
    EXPECT_EQ(put.params, (Params{{"project", "3"}}));
}

TEST_F(RouterTest, OtherMethodOnKnownPathIs405WithAllowedList) {
    auto m = router_.match(Verb::put, "/api/v1/tasks/42");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.path_known);
    EXPECT_EQ(m.allowed, (std::vector<Verb>{Verb::delete_, Verb::get, Verb::post}));  // in Verb order

    auto info = router_.match(Verb::delete_, "/api/v1/info");
    EXPECT_EQ(info.route, nullptr);
    EXPECT_TRUE(info.path_known);
    EXPECT_EQ(info.allowed, std::vector<Verb>{Verb::get});
}

TEST_F(RouterTest, HeadFallsBackToGet) {
    auto m = router_.match(Verb::head, "/api/v1/tasks/5");
    EXPECT_EQ(value_of(m), 3);
    EXPECT_EQ(m.params, (Params{{"id", "5"}}));
    // HEAD is not listed as allowed unless registered.
    EXPECT_EQ(std::count(m.allowed.begin(), m.allowed.end(), Verb::head), 0);
    // An explicit HEAD route is used as is; GET does not fall back to HEAD.
    EXPECT_EQ(value_of(router_.match(Verb::head, "/api/v1/head-only")), 9);
    auto get = router_.match(Verb::get, "/api/v1/head-only");
    EXPECT_EQ(get.route, nullptr);
    EXPECT_TRUE(get.path_known);
    // HEAD does not fall back to anything but GET.
    EXPECT_EQ(router_.match(Verb::head, "/api/v1/projects/1/tasks").route, nullptr);
}

TEST_F(RouterTest, UnknownPathIsNotKnown) {
    for (const char* path : {"/api/v1/nothing", "/api/v2/info", "/api/v1/info/extra", "/api/v1/tasks/1/unknown",
                             "/api/v1/projects/1/views/2"}) {
        auto m = router_.match(Verb::get, path);
        EXPECT_EQ(m.route, nullptr) << path;
        EXPECT_FALSE(m.path_known) << path;
        EXPECT_TRUE(m.allowed.empty()) << path;
        EXPECT_TRUE(m.params.empty()) << path;
    }
}

TEST_F(RouterTest, PrefixOfARouteIsNotARoute) {
    // Interior nodes (/api/v1, /api/v1/projects/{project}) exist in the tree but have no routes: 404, not 405.
    for (const char* path : {"/api", "/api/v1", "/api/v1/projects", "/api/v1/projects/3"}) {
        auto m = router_.match(Verb::get, path);
        EXPECT_EQ(m.route, nullptr) << path;
        EXPECT_FALSE(m.path_known) << path;
    }
}

TEST_F(RouterTest, EmptySegmentsAreIgnored) {
    // Documented behaviour: the path is split on '/' and empty segments are dropped, so a trailing slash,
    // doubled slashes and a missing leading slash all match the same route.
    EXPECT_EQ(value_of(router_.match(Verb::get, "/api/v1/info/")), 1);
    EXPECT_EQ(value_of(router_.match(Verb::get, "//api//v1///info")), 1);
    EXPECT_EQ(value_of(router_.match(Verb::get, "api/v1/info")), 1);
    auto m = router_.match(Verb::get, "/api/v1/tasks//42/");
    EXPECT_EQ(value_of(m), 3);
    EXPECT_EQ(m.params, (Params{{"id", "42"}}));
    // The root and an empty path are the same route.
    EXPECT_EQ(value_of(router_.match(Verb::get, "/")), 10);
    EXPECT_EQ(value_of(router_.match(Verb::get, "")), 10);
    EXPECT_EQ(value_of(router_.match(Verb::get, "///")), 10);
}

TEST_F(RouterTest, EmptyParameterSegmentDoesNotMatch) {
    // "/tasks/" has no id: empty segments are dropped, so it is the interior node /tasks, which has no route.
    auto m = router_.match(Verb::get, "/api/v1/tasks/");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_FALSE(m.path_known);
}

TEST(Router, EmptyRouterKnowsNothing) {
    Router<int> r;
    auto m = r.match(Verb::get, "/");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_FALSE(m.path_known);
}

TEST(Router, ReRegisteringReplacesThePayload) {
    Router<int> r;
    r.add(Verb::get, "/x", 1);
    r.add(Verb::get, "/x", 2);
    auto m = r.match(Verb::get, "/x");
    EXPECT_EQ(value_of(m), 2);
    EXPECT_EQ(m.allowed.size(), 1u);
}

TEST(Router, ParameterValueIsTheRawSegment) {
    Router<std::string> r;
    r.add(Verb::get, "/labels/{label}", "label");
    auto m = r.match(Verb::get, "/labels/a b%20c.d");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(*m.route, "label");
    EXPECT_EQ(m.params.at("label"), "a b%20c.d");
}

}  // namespace
}  // namespace vicugna::http
